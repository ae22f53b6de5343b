package org.countersign.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time spent by the three processes an approval runs through: the service node, this load generator and the
 * PostgreSQL server with all its backends. Read from {@code /proc/<pid>/stat} (Linux only): on two shared cores the
 * CPU an approval costs across all three is what bounds the rate (docs/performance.md, findings of session 4).
 */
final class CpuMeter {
    /** Clock ticks per second of {@code /proc} times ({@code USER_HZ}: 100 on every Linux build in use). */
    private static final double TICKS_PER_SECOND = 100;

    private final long nodePid;
    private final long generatorPid = ProcessHandle.current().pid();
    private final long postmasterPid;

    private CpuMeter(long nodePid, long postmasterPid) {
        this.nodePid = nodePid;
        this.postmasterPid = postmasterPid;
    }

    /** A meter, or empty where there is no {@code /proc} to read. */
    static Optional<CpuMeter> of(long nodePid, long postmasterPid) {
        return Files.isReadable(Path.of("/proc/self/stat")) ? Optional.of(new CpuMeter(nodePid, postmasterPid))
                : Optional.empty();
    }

    /** CPU seconds used so far by each process (PostgreSQL: the postmaster, its live and its ended children). */
    record Reading(double node, double generator, double postgres) {
        /** Milliseconds of CPU per approval between {@code earlier} and this reading, per process. */
        String perApproval(Reading earlier, long approvals) {
            if (approvals <= 0) {
                return "";
            }
            double n = (node - earlier.node) * 1000 / approvals;
            double g = (generator - earlier.generator) * 1000 / approvals;
            double p = (postgres - earlier.postgres) * 1000 / approvals;
            return "node=%.2f; generator=%.2f; postgres=%.2f; total=%.2f".formatted(n, g, p, n + g + p);
        }

        /** Cores kept busy between {@code earlier} and this reading, {@code seconds} apart, per process. */
        String coresUsed(Reading earlier, double seconds) {
            if (seconds <= 0) {
                return "";
            }
            double n = (node - earlier.node) / seconds;
            double g = (generator - earlier.generator) / seconds;
            double p = (postgres - earlier.postgres) / seconds;
            return "node=%.2f; generator=%.2f; postgres=%.2f; total=%.2f".formatted(n, g, p, n + g + p);
        }
    }

    /**
     * Waits, on the launcher's thread, until the node and PostgreSQL together keep less than {@code cores} busy
     * over a whole {@code window}, or until {@code limit} has passed; answers the cores they used in the last
     * window. A limit measured while they still work off the previous scenario (sealing its audit events,
     * vacuuming its tables) is the machine minus that work.
     */
    double awaitQuiet(double cores, Duration window, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Reading before = read();
            ServiceNode.sleep(window.toMillis());
            Reading after = read();
            double used = (after.node - before.node + after.postgres - before.postgres) / (window.toMillis() / 1000.0);
            if (used < cores || System.nanoTime() >= deadline) {
                return used;
            }
        }
    }

    Reading read() {
        double postgres = ticks(postmasterPid, true);
        for (long child : childrenOf(postmasterPid)) {
            postgres += ticks(child, false);
        }
        return new Reading(ticks(nodePid, false) / TICKS_PER_SECOND, ticks(generatorPid, false) / TICKS_PER_SECOND,
                postgres / TICKS_PER_SECOND);
    }

    /** utime + stime of {@code pid} (and, with {@code ended}, of its children already waited for); 0 once gone. */
    private static long ticks(long pid, boolean ended) {
        List<String> fields = statFields(pid);
        if (fields.size() < 15) {
            return 0;
        }
        // after the "(comm)" field: state is field 3 of proc(5), so utime (14) is at index 11
        long ticks = Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
        return ended ? ticks + Long.parseLong(fields.get(13)) + Long.parseLong(fields.get(14)) : ticks;
    }

    private static List<Long> childrenOf(long parent) {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .filter(pid -> {
                        List<String> fields = statFields(pid);
                        return fields.size() > 1 && fields.get(1).equals(Long.toString(parent));
                    })
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The fields of {@code /proc/<pid>/stat} after the command name (which may hold spaces), or none. */
    private static List<String> statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return List.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
