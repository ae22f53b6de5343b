package org.countersign.bench;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.countersign.push.crypto.PasswordHasher;

/**
 * Scenario 5: password sign-ins ({@code POST /api/v1/sign-ins}, users with MFA disabled, so each is one Argon2id
 * verification and one transaction) with enough clients to keep the service's Argon2 pool busy, next to the
 * Argon2id verifications per second this machine does with the same parameters over the same number of threads.
 */
final class PasswordSignIns {
    /** As the service: {@code max(2, cores)} Argon2 threads. */
    static final int ARGON2_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Below this, the node and PostgreSQL count as quiet (their timers and autovacuum's naps use a little). */
    private static final double QUIET_CORES = 0.05;

    private PasswordSignIns() {
    }

    static Result run(Environment env) throws SQLException, IOException, InterruptedException {
        List<String> users = env.seeder.users("password", env.options.passwordUsers(), "disabled");
        int clients = env.options.quick() ? ARGON2_THREADS : 4 * ARGON2_THREADS;
        // The service's Argon2 code is warmed up first, not counted (its sign-ins before this scenario were the
        // admin's few), and the limit (Argon2Rate, in a JVM of its own, warmed up too) waits for the node and
        // PostgreSQL to go quiet. Measured at once in this JVM, the limit came out anywhere from 19 to 41/s on the
        // same machine, at times below the rate the service then reached with the same parameters.
        signIns(env, users, clients, env.options.cpuMeasurement());
        Optional<CpuMeter> cpu = CpuMeter.of(env.nodeA.pid(), env.postgres.serverPid());
        double busyCores = cpu.map(meter -> meter.awaitQuiet(QUIET_CORES, Duration.ofSeconds(1),
                        env.options.quick() ? Duration.ofSeconds(5) : Duration.ofSeconds(90)))
                .orElse(0.0);
        double hashesPerSecond = Argon2Rate.measure(env.work, env.passwordHash, ARGON2_THREADS,
                env.options.cpuMeasurement(), env.options.cpuMeasurement().multipliedBy(2));
        Optional<CpuMeter.Reading> before = cpu.map(CpuMeter::read);
        SignIns measured = signIns(env, users, clients, env.options.passwordDuration());
        // what each process kept busy while the sign-ins were measured: a figure far below the limit with
        // PostgreSQL busy (autovacuum of the earlier scenarios' tables) says why
        String cores = cpu.map(meter -> meter.read().coresUsed(before.orElseThrow(), measured.seconds)).orElse("");
        double signInsPerSecond = measured.approved.sum() / measured.seconds;
        Result.Builder result = Result.of("password-sign-ins").put("clients", clients)
                .put("approvedSignInsPerSecond", Limits.round(signInsPerSecond))
                .put("argon2idVerifiesPerSecond", Limits.round(hashesPerSecond))
                .put("argon2Threads", ARGON2_THREADS)
                .put("serviceCoresBusyBeforeArgon2", Limits.round(busyCores))
                .put("cpuCoresDuringSignIns", cores)
                .put("fractionOfArgon2Limit", hashesPerSecond <= 0 ? 0
                        : Math.round(signInsPerSecond / hashesPerSecond * 1000) / 1000.0);
        measured.latencies.addTo(result, "signIn");
        measured.outcomes.forEach((outcome, count) -> result.put("outcome_" + outcome, count.sum()));
        return result.build();
    }

    /** What {@code clients} closed-loop clients signing in for {@code time} got. */
    private record SignIns(LongAdder approved, Map<String, LongAdder> outcomes, Latencies latencies, double seconds) {
    }

    private static SignIns signIns(Environment env, List<String> users, int clients, Duration time) {
        SignIns done = new SignIns(new LongAdder(), new ConcurrentHashMap<>(), new Latencies(), 0);
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + time.toNanos();
        try (HttpApi http = new HttpApi(env.vertx, env.nodeA.port())) {
            List<Future<Void>> loops = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                loops.add(loop(http, users, next, deadline, done.approved, done.outcomes, done.latencies));
            }
            Waits.await(Future.all(loops), time.toSeconds() + 120);
        }
        return new SignIns(done.approved, done.outcomes, done.latencies, (System.nanoTime() - start) / 1e9);
    }

    private static Future<Void> loop(HttpApi http, List<String> users, AtomicLong next, long deadline,
                                     LongAdder approved, Map<String, LongAdder> outcomes, Latencies latencies) {
        if (System.nanoTime() >= deadline) {
            return Future.succeededFuture();
        }
        String user = users.get((int) (next.getAndIncrement() % users.size()));
        long begin = System.nanoTime();
        return http.send(HttpMethod.POST, "/api/v1/sign-ins", null, new JsonObject().put("username", user)
                        .put("password", Environment.PASSWORD).put("app", "Benchmark"), 60_000)
                .transform(done -> {
                    String outcome = done.failed() ? "failed"
                            : done.result().status() + "-" + done.result().string("state");
                    if (done.succeeded() && "approved".equals(done.result().string("state"))) {
                        approved.increment();
                        latencies.record(System.nanoTime() - begin);
                    }
                    outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
                    return loop(http, users, next, deadline, approved, outcomes, latencies);
                });
    }
}
