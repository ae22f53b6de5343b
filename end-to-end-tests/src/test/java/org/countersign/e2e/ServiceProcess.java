package org.countersign.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.countersign.push.db.DatabaseSettings;

/**
 * The push service jar as a child process on an external database, with everything it prints (stdout and stderr)
 * kept: for tests that kill it, restart it on the same database and port, or read its logs.
 */
final class ServiceProcess implements AutoCloseable {
    static final String ADMIN_PASSWORD = "process test admin password";

    private final Process process;
    private final List<String> lines;

    private ServiceProcess(Process process, List<String> lines) {
        this.process = process;
        this.lines = lines;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "service-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the jar and waits until it says it is running; output of earlier runs in {@code log} is kept. */
    static ServiceProcess start(DatabaseSettings database, Path dataDir, int port, List<String> log)
            throws Exception {
        Path jar = Path.of(System.getProperty("countersign.serviceJar", "../push-service/target/push-service.jar"));
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "--port",
                Integer.toString(port), "--data-dir", dataDir.toString(), "--database-url", url(database),
                "--bootstrap-admin", "admin", "--instances", "2"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("COUNTERSIGN_ADMIN_PASSWORD", ADMIN_PASSWORD);
        int from = log.size();
        ServiceProcess service = new ServiceProcess(builder.start(), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!String.join("\n", log.subList(from, log.size())).contains("Countersign is running")) {
            if (!service.process.isAlive() || System.nanoTime() > deadline) {
                service.process.destroyForcibly();
                throw new AssertionError("the service did not start:\n" + String.join("\n", log));
            }
            Thread.sleep(100);
        }
        return service;
    }

    static ServiceProcess start(DatabaseSettings database, Path dataDir, int port) throws Exception {
        return start(database, dataDir, port, new CopyOnWriteArrayList<>());
    }

    static String url(DatabaseSettings database) {
        return "postgresql://" + URLEncoder.encode(database.user(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(database.password(), StandardCharsets.UTF_8) + "@" + database.host() + ":"
                + database.port() + "/" + database.database();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Everything the process printed so far. */
    String output() {
        return String.join("\n", lines);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the service survived SIGKILL");
        }
    }

    /** SIGTERM, then waits for the shutdown. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
