package org.countersign.bench;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Scenarios 1, 2 and 7, which share one operation ({@link ApprovalLoad}) at different open-model rates:
 * the approval round trip stepped up through fixed rates, push delivery at half the highest rate that kept
 * p99 under 50 ms, and overload at three times that rate.
 */
final class ApprovalScenarios {
    static final double P99_TARGET_MS = 50;

    private final Environment env;
    private final Limits limits;
    private RpClient rp;
    private HttpApi http;
    /** The highest offered rate whose round-trip p99 stayed under 50 ms with every check approved (0: none). */
    int maxRate;
    /** The highest rate of scenario 1 that was kept up with (the node's sustainable maximum on this machine). */
    int keptUpRate;
    double peakApprovedPerSecond;
    double commitsPerApproval;

    ApprovalScenarios(Environment env, Limits limits) {
        this.env = env;
        this.limits = limits;
    }

    boolean available() {
        return env.rp.isPresent();
    }

    static String unavailableReason() {
        return "this service build has no relying-party API (POST /api/v1/admin/rp-clients answered 404): "
                + "merge the rp branch";
    }

    /** Scenario 1: one line per rate, then a summary line. */
    List<Result> roundTrips() throws SQLException {
        if (!available()) {
            return List.of(Result.skipped("approval-round-trip", unavailableReason()));
        }
        List<Result> results = new ArrayList<>();
        List<Integer> rates = env.options.approvalRates();
        step("approval-warmup", env.options.warmupRate(), env.options.warmup());
        int saturatedInARow = 0;
        for (int rate : rates) {
            if (saturatedInARow >= env.options.saturatedStepsBeforeStop()) {
                System.out.println("bench: scenario 1 stops before " + rate + "/s: the last " + saturatedInARow
                        + " steps did not keep up with their rate");
                break;
            }
            Step step = step("approval-round-trip", rate, env.options.stepDuration());
            // shed checks (503, a few while the node has a standing queue) do not count against keeping up
            boolean keptUp = step.approvedPerSecond >= BenchOptions.KEEPING_UP * rate;
            saturatedInARow = keptUp ? 0 : saturatedInARow + 1;
            if (keptUp) {
                keptUpRate = rate;
            }
            results.add(step.result);
            peakApprovedPerSecond = Math.max(peakApprovedPerSecond, step.approvedPerSecond);
            if (step.load.roundTrip.percentileMillis(99) < P99_TARGET_MS && step.allApproved()) {
                maxRate = rate;
            }
            if (step.commitsPerApproval > 0 && (commitsPerApproval == 0 || rate == maxRate)) {
                commitsPerApproval = step.commitsPerApproval;
            }
        }
        double commitBound = limits.commitBoundApprovalsPerSecond(commitsPerApproval);
        Result.Builder summary = Result.of("approval-summary")
                .put("maxRateP99Under50Ms", maxRate)
                .put("maxRateKeptUp", keptUpRate)
                .put("peakApprovedPerSecond", Limits.round(peakApprovedPerSecond))
                .put("commitsPerApproval", Limits.round(commitsPerApproval))
                .put("commitBoundApprovalsPerSecond", Limits.round(commitBound));
        if (commitBound > 0) {
            summary.put("peakFractionOfCommitBound", fraction(peakApprovedPerSecond, commitBound));
        }
        if (limits.ed25519VerifiesPerSecond > 0) {
            summary.put("peakFractionOfEd25519OneCore",
                    fraction(peakApprovedPerSecond, limits.ed25519VerifiesPerSecond));
        }
        results.add(summary.build());
        return results;
    }

    /** Scenario 2: create call to request frame at the device, at half the highest good rate. */
    Result pushDelivery() throws SQLException {
        if (!available()) {
            return Result.skipped("push-delivery", unavailableReason());
        }
        double rate = Math.max(1, baseRate() / 2.0);
        Step step = step("push-delivery", rate, env.options.stepDuration());
        Result.Builder result = Result.of("push-delivery").put("offeredPerSecond", rate);
        step.load.push.addTo(result, "push");
        step.load.roundTrip.addTo(result, "roundTrip");
        return step.load.addCounts(result).build();
    }

    /** Scenario 7: three times the highest good rate; goodput kept, excess shed with 503 rather than collapse. */
    Result overload() throws SQLException {
        if (!available()) {
            return Result.skipped("overload", unavailableReason());
        }
        double rate = 3.0 * baseRate();
        Step step = step("overload", rate, env.options.overloadDuration());
        double peak = peakApprovedPerSecond > 0 ? peakApprovedPerSecond : step.approvedPerSecond;
        Result.Builder result = Result.of("overload").put("offeredPerSecond", rate)
                .put("approvedPerSecond", Limits.round(step.approvedPerSecond))
                .put("goodputFractionOfPeak", fraction(step.approvedPerSecond, peak))
                .put("generatorMaxInFlight", step.stats.maxInFlight())
                .put("cpuMsPerApproval", step.cpuPerApproval)
                .put("cpuCores", step.cpuCores);
        step.load.roundTrip.addTo(result, "roundTrip");
        step.load.create.addTo(result, "create");
        step.load.push.addTo(result, "push");
        return step.load.addCounts(result).build();
    }

    /**
     * "The maximum rate" of the scenarios 2, 4 and 7: the highest rate scenario 1 kept up with, else the
     * highest holding p99 under 50 ms, else the first rate.
     */
    double baseRate() {
        if (keptUpRate > 0) {
            return keptUpRate;
        }
        return maxRate > 0 ? maxRate : env.options.approvalRates().get(0);
    }

    private static double fraction(double value, double limit) {
        return limit <= 0 ? 0 : Math.round(value / limit * 1000) / 1000.0;
    }

    private RpClient rp() {
        if (rp == null) {
            http = new HttpApi(env.vertx, env.nodeA.port());
            rp = new RpClient(http, env.rp.orElseThrow().clientId(), env.rp.orElseThrow().clientSecret());
        }
        return rp;
    }

    /** One fixed-rate run with its measurement window (the last three quarters of the schedule). */
    private Step step(String name, double rate, Duration duration) throws SQLException {
        env.fleet();
        env.screen.clear();
        ApprovalLoad load = new ApprovalLoad(rp(), env.screen, env.freeApprovalUsers);
        Optional<CpuMeter> cpu = CpuMeter.of(env.nodeA.pid(), env.postgres.serverPid());
        try (CommitCounter counter = new CommitCounter(env.database);
                StatementCounter statements = new StatementCounter(env.database)) {
            long startNanos = System.nanoTime();
            var running = OpenLoad.run(env.vertx, rate, duration, load::once);
            sleepUntil(startNanos + duration.toNanos() / 4);
            long c0 = counter.commits();
            long x0 = counter.writeTransactions();
            Map<String, Long> rows0 = counter.rowWrites();
            StatementCounter.Reading s0 = statements.read();
            long a0 = load.approved.sum();
            Optional<CpuMeter.Reading> cpu0 = cpu.map(CpuMeter::read);
            long w0 = System.nanoTime();
            sleepUntil(startNanos + duration.toNanos());
            long c1 = counter.commits();
            long x1 = counter.writeTransactions();
            Map<String, Long> rows1 = counter.rowWrites();
            StatementCounter.Reading s1 = statements.read();
            long a1 = load.approved.sum();
            Optional<CpuMeter.Reading> cpu1 = cpu.map(CpuMeter::read);
            long w1 = System.nanoTime();
            OpenLoad.Stats stats = Waits.await(running, 120);
            double approvedPerSecond = (a1 - a0) / ((w1 - w0) / 1e9);
            String cpuPerApproval = cpu1.map(c -> c.perApproval(cpu0.orElseThrow(), a1 - a0)).orElse("");
            String cpuCores = cpu1.map(c -> c.coresUsed(cpu0.orElseThrow(), (w1 - w0) / 1e9)).orElse("");
            double transactionsPerApproval = a1 > a0 ? (double) (c1 - c0) / (a1 - a0) : 0;
            double commitsPerApproval = a1 > a0 ? (double) (x1 - x0) / (a1 - a0) : 0;
            Result.Builder result = Result.of(name).put("offeredPerSecond", rate)
                    .put("seconds", duration.toSeconds())
                    .put("started", stats.started())
                    .put("approvedPerSecond", Limits.round(approvedPerSecond));
            load.roundTrip.addTo(result, "roundTrip");
            result.millis("pushP50Ms", load.push.percentileMillis(50))
                    .millis("pushP99Ms", load.push.percentileMillis(99))
                    .millis("createP99Ms", load.create.percentileMillis(99))
                    .put("commitsPerApproval", Limits.round(commitsPerApproval))
                    .put("transactionsPerApproval", Limits.round(transactionsPerApproval))
                    .put("rowWritesPerApproval", CommitCounter.perApproval(rows0, rows1, a1 - a0))
                    .put("statementsPerApproval", perApproval(s1.statements() - s0.statements(), a1 - a0))
                    .put("beginCommitPerApproval",
                            perApproval(s1.transactionControl() - s0.transactionControl(), a1 - a0))
                    .put("cpuMsPerApproval", cpuPerApproval)
                    .put("cpuCores", cpuCores)
                    .put("generatorMaxInFlight", stats.maxInFlight())
                    .millis("tickerMaxLagMs", stats.maxTickerLagMillis());
            load.addCounts(result);
            writeStatements(name + "-" + Math.round(rate), s1.perApproval(s0, a1 - a0, 60));
            return new Step(load, stats, approvedPerSecond, commitsPerApproval, cpuPerApproval, cpuCores,
                    result.build());
        }
    }

    private static double perApproval(long count, long approvals) {
        return approvals > 0 ? Limits.round((double) count / approvals) : 0;
    }

    /** The statements of one step, most frequent first, per approval: {@code statements-<step>-<rate>.txt}. */
    private void writeStatements(String step, String table) {
        try {
            java.nio.file.Files.createDirectories(env.options.outDir());
            java.nio.file.Files.writeString(env.options.outDir().resolve("statements-" + step + ".txt"), table);
        } catch (java.io.IOException e) {
            System.err.println("bench: could not write the statements of " + step + ": " + e.getMessage());
        }
    }

    private record Step(ApprovalLoad load, OpenLoad.Stats stats, double approvedPerSecond, double commitsPerApproval,
                        String cpuPerApproval, String cpuCores, Result result) {
        boolean allApproved() {
            return load.approved.sum() > 0 && load.approved.sum() == stats.started();
        }
    }

    private static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            ServiceNode.sleep(TimeUnit.NANOSECONDS.toMillis(left));
        }
    }

    void close() {
        if (http != null) {
            http.close();
        }
    }
}
