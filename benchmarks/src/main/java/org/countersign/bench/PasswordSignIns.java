package org.countersign.bench;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private PasswordSignIns() {
    }

    static Result run(Environment env) throws SQLException {
        List<String> users = env.seeder.users("password", env.options.passwordUsers(), "disabled");
        // a first pass, not counted, warms this JVM's Argon2 code and lets the previous scenario's after-work settle:
        // measured at once, the limit came out anywhere from 19 to 41/s on the same machine, at times below the rate
        // the service then reached with the same parameters
        argon2PerSecond(env, env.options.cpuMeasurement());
        double hashesPerSecond = argon2PerSecond(env, env.options.cpuMeasurement().multipliedBy(2));
        int clients = env.options.quick() ? ARGON2_THREADS : 4 * ARGON2_THREADS;
        Duration time = env.options.passwordDuration();
        LongAdder approved = new LongAdder();
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        Latencies latencies = new Latencies();
        AtomicLong next = new AtomicLong();
        long deadline = System.nanoTime() + time.toNanos();
        long start = System.nanoTime();
        try (HttpApi http = new HttpApi(env.vertx, env.nodeA.port())) {
            List<Future<Void>> loops = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                loops.add(loop(http, users, next, deadline, approved, outcomes, latencies));
            }
            Waits.await(Future.all(loops), time.toSeconds() + 120);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double signInsPerSecond = approved.sum() / seconds;
        Result.Builder result = Result.of("password-sign-ins").put("clients", clients)
                .put("approvedSignInsPerSecond", Limits.round(signInsPerSecond))
                .put("argon2idVerifiesPerSecond", Limits.round(hashesPerSecond))
                .put("argon2Threads", ARGON2_THREADS)
                .put("fractionOfArgon2Limit", hashesPerSecond <= 0 ? 0
                        : Math.round(signInsPerSecond / hashesPerSecond * 1000) / 1000.0);
        latencies.addTo(result, "signIn");
        outcomes.forEach((outcome, count) -> result.put("outcome_" + outcome, count.sum()));
        return result.build();
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

    /** Argon2id (m=19456, t=2, p=1) verifications per second over {@link #ARGON2_THREADS} worker threads. */
    static double argon2PerSecond(Environment env, Duration time) {
        WorkerExecutor workers = env.vertx.createSharedWorkerExecutor("bench-argon2", ARGON2_THREADS);
        try {
            PasswordHasher hasher = new PasswordHasher(workers, env.random);
            LongAdder done = new LongAdder();
            long start = System.nanoTime();
            long deadline = start + time.toNanos();
            List<Future<Void>> lanes = new ArrayList<>();
            for (int i = 0; i < ARGON2_THREADS; i++) {
                lanes.add(verifyUntil(hasher, env.passwordHash, deadline, done));
            }
            Waits.await(Future.all(lanes), time.toSeconds() + 60);
            return done.sum() / ((System.nanoTime() - start) / 1e9);
        } finally {
            workers.close();
        }
    }

    private static Future<Void> verifyUntil(PasswordHasher hasher, String hash, long deadline, LongAdder done) {
        if (System.nanoTime() >= deadline) {
            return Future.succeededFuture();
        }
        return hasher.verify(Environment.PASSWORD, hash).compose(ok -> {
            if (!ok) {
                return Future.failedFuture("the seeded hash did not verify");
            }
            done.increment();
            return verifyUntil(hasher, hash, deadline, done);
        });
    }
}
