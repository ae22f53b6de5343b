package org.countersign.push.fuzz;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/** What the fuzzer saw: answers per endpoint and status, and every answer that broke a rule. */
final class FuzzTally {
    /** The status recorded when no HTTP answer came (connection closed by the service). */
    static final int NO_ANSWER = 0;

    private final Map<String, Map<Integer, Integer>> byEndpoint = new TreeMap<>();
    private final List<String> findings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger total = new AtomicInteger();

    private final java.util.TreeMap<Long, String> slowest = new java.util.TreeMap<>();

    /** Keeps the five slowest answers, for the summary. */
    synchronized void timed(String what, long nanos) {
        slowest.put(nanos, what);
        if (slowest.size() > 5) {
            slowest.pollFirstEntry();
        }
    }

    synchronized String slowest() {
        StringBuilder out = new StringBuilder();
        slowest.descendingMap().forEach((nanos, what) -> out.append(String.format("  %6d ms  %s%n",
                nanos / 1_000_000, what)));
        return out.toString();
    }

    synchronized void record(String endpoint, int status) {
        byEndpoint.computeIfAbsent(endpoint, key -> new TreeMap<>()).merge(status, 1, Integer::sum);
        total.incrementAndGet();
    }

    private final List<String> accepted = Collections.synchronizedList(new ArrayList<>());

    /** A request that was answered 2xx although malformed (allowed when it changed nothing, e.g. a sign-out). */
    void accepted(String description) {
        accepted.add(description);
    }

    List<String> accepted() {
        return List.copyOf(accepted);
    }

    void finding(String description) {
        findings.add(description);
    }

    int total() {
        return total.get();
    }

    List<String> findings() {
        return List.copyOf(findings);
    }

    synchronized int count(int status) {
        return byEndpoint.values().stream().mapToInt(statuses -> statuses.getOrDefault(status, 0)).sum();
    }

    synchronized int countAtLeast(int status) {
        return byEndpoint.values().stream().flatMap(statuses -> statuses.entrySet().stream())
                .filter(entry -> entry.getKey() >= status).mapToInt(Map.Entry::getValue).sum();
    }

    /** A table: one row per endpoint, one column per status seen, and a total row. */
    synchronized String table() {
        TreeSet<Integer> statuses = new TreeSet<>();
        byEndpoint.values().forEach(row -> statuses.addAll(row.keySet()));
        int width = byEndpoint.keySet().stream().mapToInt(String::length).max().orElse(10) + 2;
        StringBuilder out = new StringBuilder(String.format("%-" + width + "s%7s", "endpoint", "total"));
        statuses.forEach(status -> out.append(String.format("%6s", status == NO_ANSWER ? "none" : status)));
        out.append('\n');
        Map<Integer, Integer> totals = new TreeMap<>();
        byEndpoint.forEach((endpoint, row) -> {
            out.append(String.format("%-" + width + "s%7d", endpoint, row.values().stream().mapToInt(i -> i).sum()));
            statuses.forEach(status -> out.append(String.format("%6d", row.getOrDefault(status, 0))));
            out.append('\n');
            row.forEach((status, n) -> totals.merge(status, n, Integer::sum));
        });
        out.append(String.format("%-" + width + "s%7d", "all", total.get()));
        statuses.forEach(status -> out.append(String.format("%6d", totals.getOrDefault(status, 0))));
        return out.append('\n').toString();
    }
}
