package org.countersign.bench;

import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar [--quick] [--scenarios 1,...,7] [--jfr]}: starts PostgreSQL
 * and the service nodes, seeds, runs the scenarios of issue 6 and prints one JSON line ({@value Report#JSON_PREFIX}
 * prefix) and one Markdown row per result, also written to {@code benchmarks/target/results.{json,md}}.
 *
 * <p>The order differs from the numbering: the machine's limits (6) first, so that later figures can be given as
 * fractions of them; idle channels (3) last, because they need the approval channels closed.
 */
public final class Bench implements Callable<Report> {
    private final BenchOptions options;
    private final PrintStream out;

    Bench(BenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        new Bench(options, System.out).call();
        System.exit(0);
    }

    @Override
    public Report call() throws Exception {
        Report report = new Report(out, options.outDir());
        long start = System.nanoTime();
        out.println("Countersign benchmark" + (options.quick() ? " (quick mode)" : "") + ", scenarios "
                + options.scenarios() + ", service " + options.serviceJar());
        try (Environment env = Environment.start(options)) {
            out.println("Setup done (seeding is setup, not measured): " + env.approvalDevices.size()
                    + " approval users with a device; " + env.settingsApplied + "; relying-party API "
                    + (env.rp.isPresent() ? "present" : "absent"));
            Limits limits = new Limits();
            if (options.runs(6)) {
                report.add(limits.run(env));
            }
            ApprovalScenarios approvals = new ApprovalScenarios(env, limits);
            try {
                if (options.runs(1)) {
                    report.addAll(approvals.roundTrips());
                }
                if (options.runs(2)) {
                    report.add(approvals.pushDelivery());
                }
                if (options.runs(7)) {
                    report.add(approvals.overload());
                }
                if (options.runs(4)) {
                    report.add(CrossNode.run(env, options.runs(1) ? approvals.baseRate() / 2.0
                            : options.crossNodeRate()));
                }
            } finally {
                approvals.close();
            }
            if (options.runs(5)) {
                report.add(PasswordSignIns.run(env));
            }
            if (options.runs(3)) {
                report.addAll(IdleChannels.run(env));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report.write("Countersign benchmark, " + Instant.now() + (options.quick() ? ", quick mode" : "") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + String.format("%.0f", seconds)
                + " s in all");
        out.printf("Done in %.0f s; results in %s%n", seconds, options.outDir().resolve("results.md"));
        return report;
    }
}
