package org.countersign.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One push-service node run as its own JVM ({@code java -jar push-service.jar}), as in production, so that the
 * service, PostgreSQL and the load generator compete for the same cores as the issue asks. Also reads the node's
 * memory from outside: heap after a full GC through {@code jcmd}, resident set from {@code /proc}.
 */
public final class ServiceNode implements AutoCloseable {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private ServiceNode(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a node on a free port and waits until {@code /health} answers 200.
     *
     * @param jfr when not null, a JFR recording (profile settings) is written there when the node exits
     */
    public static ServiceNode start(String name, Path serviceJar, Path workDir, String databaseUrl, String secretKey,
                                    String adminName, String adminPassword, Path jfr, List<String> jvmOptions,
                                    List<String> serviceOptions)
            throws IOException {
        int port = freePort();
        Path dataDir = workDir.resolve(name);
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(jvmOptions);
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
        }
        command.addAll(List.of("-jar", serviceJar.toString(), "--port", Integer.toString(port),
                "--database-url", databaseUrl, "--public-url", "http://127.0.0.1:" + port,
                "--data-dir", dataDir.toString(), "--bootstrap-admin", adminName));
        command.addAll(serviceOptions);
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("COUNTERSIGN_SECRET_KEY", secretKey);
        builder.environment().put("COUNTERSIGN_ADMIN_PASSWORD", adminPassword);
        ServiceNode node = new ServiceNode(name, builder.start(), port, log);
        node.awaitHealthy(Duration.ofSeconds(90));
        return node;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Heap in use after a full collection, in bytes ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    public long heapAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        // called from the benchmark's main thread only; a second collection after a pause catches late garbage
        Thread.sleep(200);
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IOException("jcmd GC.heap_info printed no 'used' figure for " + name);
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** Resident set size in bytes, from {@code /proc/<pid>/status}. */
    public long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for " + name);
    }

    /** Runs {@code jcmd <pid> <command...>} and returns what it printed. */
    public String jcmd(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid())));
        command.addAll(List.of(arguments));
        Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", arguments) + " failed: " + output);
        }
        return output;
    }

    private void awaitHealthy(Duration timeout) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("service node " + name + " exited with " + process.exitValue() + "; log "
                        + log + ":\n" + tail());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(url().resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            sleep(200);
        }
        close();
        throw new IOException("service node " + name + " did not become healthy in " + timeout + "; log:\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** Stops the node (SIGTERM, so a JFR recording is written), killing it if it does not stop in 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
