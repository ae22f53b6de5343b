package org.countersign.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.countersign.push.crypto.PasswordHasher;

/**
 * The Argon2id limit of scenario 5: verifications per second of the service's own {@link PasswordHasher}, over as
 * many threads as the service gives it. It is measured in a JVM of its own, started for it, as the service's is:
 * measured in the load generator, whose heap holds every simulated device and histogram, the same code ran 20-30 %
 * slower (Argon2 allocates its 19 MiB for every hash), and the service's sign-ins came out faster than their limit.
 */
final class Argon2Rate {
    private static final String ANSWER = "argon2-per-second ";

    private Argon2Rate() {
    }

    /** Starts the measuring JVM: warmed up for {@code warmUp}, then measured for {@code time}. */
    static double measure(Path work, String hash, int threads, Duration warmUp, Duration time)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(ServiceNode.javaExecutable(), "-cp",
                System.getProperty("java.class.path"), Argon2Rate.class.getName(), hash, Integer.toString(threads),
                Long.toString(warmUp.toMillis()), Long.toString(time.toMillis()))
                .redirectError(work.resolve("argon2-rate.log").toFile()).start();
        try (BufferedReader answer = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line = answer.readLine();
            if (line == null || !line.startsWith(ANSWER)) {
                throw new IOException("the Argon2 measurement failed (see argon2-rate.log in the work directory)");
            }
            return Double.parseDouble(line.substring(ANSWER.length()));
        } finally {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** {@code hash threads warmUpMillis timeMillis}: prints the rate on one line and exits. */
    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx();
        WorkerExecutor workers = vertx.createSharedWorkerExecutor("argon2-rate", Integer.parseInt(args[1]));
        try {
            PasswordHasher hasher = new PasswordHasher(workers, new SecureRandom());
            int threads = Integer.parseInt(args[1]);
            perSecond(hasher, args[0], threads, Duration.ofMillis(Long.parseLong(args[2])));
            double rate = perSecond(hasher, args[0], threads, Duration.ofMillis(Long.parseLong(args[3])));
            System.out.println(ANSWER + rate);
        } finally {
            Waits.await(workers.close(), 30);
            Waits.await(vertx.close(), 30);
        }
    }

    /** Verifications per second of {@code hash} with {@code threads} verifying at once for {@code time}. */
    static double perSecond(PasswordHasher hasher, String hash, int threads, Duration time) {
        LongAdder done = new LongAdder();
        long start = System.nanoTime();
        long deadline = start + time.toNanos();
        List<Future<Void>> lanes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            lanes.add(verifyUntil(hasher, hash, deadline, done));
        }
        Waits.await(Future.all(lanes), time.toSeconds() + 60);
        return done.sum() / ((System.nanoTime() - start) / 1e9);
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
