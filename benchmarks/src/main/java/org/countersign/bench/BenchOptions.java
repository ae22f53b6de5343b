package org.countersign.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What to run and at which size. The full run fits in about five minutes on a 2-core machine; {@code --quick}
 * runs every scenario for a few seconds at a tiny size, to check that the benchmark itself works (CI).
 *
 * @param scenarios the scenario numbers to run (1..7, as in the issue)
 * @param rates     the approval rates of scenario 1 (empty: the defaults)
 * @param serviceJvmOptions extra JVM options of the service nodes (e.g. {@code -Xmx512m})
 * @param serviceOptions extra options of the service nodes' command line (e.g. {@code --database-pool-size 4})
 * @param jfr       record a JFR profile of node A (written to the output directory when the node stops)
 * @param idleSteps the channel counts of scenario 3 (empty: the defaults)
 * @param idleHeapDump save a heap dump of the node at scenario 3's largest step ({@code idle-heap.hprof})
 */
public record BenchOptions(boolean quick, Set<Integer> scenarios, Path serviceJar, Path outDir, boolean jfr,
                           boolean keepWorkDir, List<Integer> rates, List<String> serviceJvmOptions,
                           List<Integer> idleSteps, boolean idleHeapDump, List<String> serviceOptions) {

    /**
     * Parses {@code [--quick] [--scenarios 1,2,3] [--service-jar P] [--out D] [--rates R,..] [--jfr] [--keep]
     * [--idle-steps N,..] [--idle-heap-dump] [--service-jvm-option OPT].. [--service-option ARG]..}; each
     * {@code --service-option} is one argument, so a flag and its value are given as two.
     */
    public static BenchOptions parse(String... args) {
        boolean quick = false;
        boolean jfr = false;
        boolean keep = false;
        Set<Integer> scenarios = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7));
        Path serviceJar = Path.of(System.getProperty("countersign.serviceJar", "push-service/target/push-service.jar"));
        Path out = Path.of("benchmarks/target");
        List<Integer> rates = List.of();
        List<Integer> idleSteps = List.of();
        boolean idleHeapDump = false;
        List<String> jvmOptions = new java.util.ArrayList<>();
        List<String> serviceOptions = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--jfr" -> jfr = true;
                case "--keep" -> keep = true;
                case "--scenarios" -> {
                    scenarios = new TreeSet<>();
                    for (String number : value(args, ++i).split(",")) {
                        scenarios.add(Integer.parseInt(number.trim()));
                    }
                }
                case "--service-jar" -> serviceJar = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--service-jvm-option" -> jvmOptions.add(value(args, ++i));
                case "--service-option" -> serviceOptions.add(value(args, ++i));
                case "--rates" -> rates = numbers(value(args, ++i));
                case "--idle-steps" -> idleSteps = numbers(value(args, ++i));
                case "--idle-heap-dump" -> idleHeapDump = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: [--quick] "
                        + "[--scenarios 1,2,...,7] [--service-jar PATH] [--out DIR] [--rates 250,500] "
                        + "[--service-jvm-option OPT]... [--service-option ARG]... [--jfr] [--keep] "
                        + "[--idle-steps 1000,19000] [--idle-heap-dump]");
            }
        }
        return new BenchOptions(quick, Set.copyOf(scenarios), serviceJar.toAbsolutePath(), out.toAbsolutePath(), jfr,
                keep, rates, List.copyOf(jvmOptions), idleSteps, idleHeapDump, List.copyOf(serviceOptions));
    }

    private static List<Integer> numbers(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    public boolean runs(int scenario) {
        return scenarios.contains(scenario);
    }

    /** Users (one device each) that approval checks rotate through; also the generator's bound on checks in flight. */
    public int approvalUsers() {
        return quick ? 60 : 4000;
    }

    public List<Integer> approvalRates() {
        if (!rates.isEmpty()) {
            return rates;
        }
        return quick ? List.of(10, 20) : List.of(50, 100, 150, 200, 250, 300, 400, 500, 750, 1000);
    }

    /**
     * Scenario 1 stops after this many steps in a row that did not keep up with their rate (approved below
     * {@link #KEEPING_UP} of offered): higher rates would only queue longer, and each costs the drain of its queue.
     */
    public int saturatedStepsBeforeStop() {
        return 2;
    }

    /** A step keeps up when it approves at least this fraction of its offered rate. */
    public static final double KEEPING_UP = 0.9;

    public Duration stepDuration() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
    }

    /**
     * The warm-up before scenario 1's steps, at {@link #warmupRate}: on two cores the JIT compilers of the service
     * and of the generator take about a minute and a half of CPU at 150 approvals/s before latency settles (measured
     * with async-profiler: 50-60 % of the node's CPU in C2 compiler threads during the first 80 s), so a short
     * warm-up measures compilation, not the service.
     */
    public Duration warmup() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(75);
    }

    /** Approvals per second during the warm-up: well below saturation, so that no queue is carried into step 1. */
    public double warmupRate() {
        return quick ? 10 : 100;
    }

    /** Total idle channels held at each step, in increasing order. */
    @Override
    public List<Integer> idleSteps() {
        if (!idleSteps.isEmpty()) {
            return idleSteps.stream().sorted().toList();
        }
        return quick ? List.of(50, 150) : List.of(1000, 5000, 10000, 15000, 19000);
    }

    /** Generator processes holding idle channels (each process may hold at most 20,000 open files). */
    public int holderProcesses() {
        return 2;
    }

    /** Scenario 4's rate when scenario 1 did not run to find the maximum rate. */
    public double crossNodeRate() {
        return quick ? 10 : 100;
    }

    /** Scenario 4 starts node B cold: it is warmed up (not measured) this long first. */
    public Duration crossNodeWarmup() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(45);
    }

    public Duration crossNodeDuration() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    }

    public int passwordUsers() {
        return quick ? 8 : 64;
    }

    public Duration passwordDuration() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
    }

    public Duration pgbenchDuration() {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
    }

    public Duration cpuMeasurement() {
        return quick ? Duration.ofMillis(500) : Duration.ofSeconds(3);
    }

    public Duration overloadDuration() {
        return quick ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
    }
}
