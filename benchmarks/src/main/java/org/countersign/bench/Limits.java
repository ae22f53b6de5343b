package org.countersign.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.countersign.protocol.DevicePublicKey;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.SignedPayloads;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.db.PostgresBinaries;

/**
 * Scenario 6: the limits of this machine, measured in the same run so that every figure can be read as a fraction
 * of what the hardware allows. PostgreSQL single-row commits per second with {@code pgbench} (a custom script of
 * one INSERT, 1 and 16 clients; and an INSERT then UPDATE pair, a challenge's life, with 16 clients) in a database
 * of its own, and Bouncy Castle Ed25519 verifications per second on one core.
 */
public final class Limits {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
    private static final String LIMITS_DATABASE = "bench_limits";

    double insertCommits1;
    double insertCommits16;
    double insertUpdatePairs16;
    double ed25519VerifiesPerSecond;

    /** Measures and returns the result line. */
    Result run(Environment env) throws IOException, SQLException, InterruptedException {
        Path bin = PostgresBinaries.locate().directory().resolve("pgbench");
        Result.Builder result = Result.of("limits");
        createDatabase(env.database);
        Path insert = script(env.work, "insert.sql", "INSERT INTO bench_rows (state) VALUES ('pending');\n");
        Path pair = script(env.work, "pair.sql", "INSERT INTO bench_rows (state) VALUES ('pending') RETURNING id \\gset\n"
                + "UPDATE bench_rows SET state = 'approved' WHERE id = :id;\n");
        Duration time = env.options.pgbenchDuration();
        insertCommits1 = pgbench(bin, env.database, insert, 1, time);
        insertCommits16 = pgbench(bin, env.database, insert, 16, time);
        insertUpdatePairs16 = pgbench(bin, env.database, pair, 16, time);
        ed25519VerifiesPerSecond = ed25519Verifies(env.options.cpuMeasurement());
        return result.put("pgInsertCommitsPerSecond1Client", round(insertCommits1))
                .put("pgInsertCommitsPerSecond16Clients", round(insertCommits16))
                .put("pgInsertUpdatePairsPerSecond16Clients", round(insertUpdatePairs16))
                .put("ed25519VerifiesPerSecondOneCore", round(ed25519VerifiesPerSecond))
                .put("pgbenchSecondsEach", time.toSeconds())
                .build();
    }

    /** Approvals per second the database allows if each approval costs {@code commitsPerApproval} commits. */
    double commitBoundApprovalsPerSecond(double commitsPerApproval) {
        return commitsPerApproval <= 0 ? 0 : insertCommits16 / commitsPerApproval;
    }

    private static void createDatabase(DatabaseSettings database) throws SQLException {
        try (Connection connection = Seeder.connect(database.withDatabase("postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + LIMITS_DATABASE);
            statement.execute("CREATE DATABASE " + LIMITS_DATABASE);
        }
        try (Connection connection = Seeder.connect(database.withDatabase(LIMITS_DATABASE));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE bench_rows (id bigserial PRIMARY KEY, state text NOT NULL, "
                    + "created_at timestamptz NOT NULL DEFAULT now())");
        }
    }

    private static Path script(Path work, String name, String text) throws IOException {
        Path file = work.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static double pgbench(Path bin, DatabaseSettings database, Path script, int clients, Duration time)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin.toString(), "-n", "-h", database.host(), "-p",
                Integer.toString(database.port()), "-U", database.user(), "-f", script.toString(), "-c",
                Integer.toString(clients), "-j", Integer.toString(Math.min(clients, 2)), "-T",
                Long.toString(Math.max(1, time.toSeconds())), LIMITS_DATABASE));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", database.password());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(time.toSeconds() + 60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("pgbench failed: " + output);
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IOException("pgbench printed no tps: " + output);
        }
        return Double.parseDouble(tps.group(1));
    }

    /** Verifications of a real approval signature per second on this (one) thread. */
    static double ed25519Verifies(Duration time) {
        DeviceSigner signer = DeviceSigner.generate(new SecureRandom());
        DevicePublicKey key = signer.publicKey();
        byte[] payload = SignedPayloads.approval("7d6f1b8e-3f0a-4d2b-9c1e-5a4b3c2d1e0f",
                "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", org.countersign.protocol.Decision.APPROVE, "42");
        byte[] signature = signer.sign(payload);
        for (int i = 0; i < 2000; i++) { // warm up the JIT
            key.verify(payload, signature);
        }
        long start = System.nanoTime();
        long deadline = start + time.toNanos();
        long count = 0;
        while (System.nanoTime() < deadline) {
            if (!key.verify(payload, signature)) {
                throw new IllegalStateException("a valid signature did not verify");
            }
            count++;
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
