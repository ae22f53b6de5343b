package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.countersign.push.testing.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two jars as a new user runs them (ARCHITECTURE.md §8): {@code java -jar push-service.jar} on its own
 * embedded PostgreSQL with a bootstrap admin, and {@code java -jar authenticator.jar} as a separate process that
 * registers and approves a sign-in. The service is stopped and started again on the same data directory: the
 * data survives and the bootstrap admin is not recreated.
 */
@Timeout(300)
class RunnableJarsTest {
    private static final String ADMIN_PASSWORD = "jar test admin password";
    private static final String PASSPHRASE = "jar test vault passphrase";

    @Test
    void serviceAndAppJarsWorkTogetherAndDataSurvivesARestart() throws Exception {
        Path serviceJar = Path.of(System.getProperty("countersign.serviceJar"));
        Path appJar = Path.of(System.getProperty("countersign.appJar"));
        assertThat(serviceJar).as("run `mvn verify`, which packages the jars before this test").exists();
        assertThat(appJar).exists();
        // under the system temp dir and enterable (not readable) by others, so the unprivileged PostgreSQL account
        // can reach its own subdirectory when tests run as root
        Path dataDir = Files.createTempDirectory("countersign-jar-test",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        Path vault = dataDir.resolve("vault.cs");
        int port = freePort();
        String base = "http://127.0.0.1:" + port;
        Api api = new Api(base);

        Service service = Service.start(serviceJar, dataDir, port);
        try {
            assertThat(service.output()).contains("Countersign is running at http://localhost:" + port)
                    .contains("created the admin 'admin'");
            Api.Response health = api.get("/health");
            assertThat(health.json().getString("database")).isEqualTo("up");
            assertThat(service.output()).as("the start output leads a new user to the sign-in page")
                    .contains("Open http://localhost:" + port + "/sign-in and sign in as 'admin'");
            Api.Response signInPage = api.get("/sign-in");
            assertThat(signInPage.status()).isEqualTo(200);
            assertThat(signInPage.contentType()).startsWith("text/html");
            assertThat(signInPage.body()).contains("<title>Sign in");

            String admin = api.post("/api/v1/sign-ins", new JsonObject().put("username", "admin")
                    .put("password", ADMIN_PASSWORD).put("app", "jar test")).string("sessionToken");
            assertThat(api.post("/api/v1/admin/users", new JsonObject().put("username", "bob")
                    .put("password", "bob's password").put("mfaState", "enforced"), admin).status()).isEqualTo(201);
            Api.Response registration = api.post("/api/v1/sign-ins", signIn("bob"));
            String token = registration.string("sessionToken");
            Api.Response enrollment = api.post("/api/v1/enrollments", new JsonObject(), token);
            Path qr = dataDir.resolve("qr.png");
            String dataUrl = enrollment.string("qrPngUrl");
            Files.write(qr, Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));

            assertThat(app(appJar, vault, "", "init").exitCode).isZero();
            Result scanned = app(appJar, vault, "", "scan", qr.toString(), "--yes");
            assertThat(scanned.exitCode).as(scanned.output).isZero();
            JsonObject status = api.get("/api/v1/enrollments/" + enrollment.string("enrollmentId"), token).json();
            String number = status.getJsonObject("testSignIn").getString("number");
            Result tested = app(appJar, vault, number + "\n", "listen", "--once");
            assertThat(tested.output).as(tested.output).contains("approved");

            Api.Response pending = api.post("/api/v1/sign-ins", signIn("bob"));
            assertThat(pending.string("state")).isEqualTo("pending");
            Result responded = app(appJar, vault, "", "respond", pending.string("signInId"), "--approve",
                    "--number", pending.string("number"));
            assertThat(responded.exitCode).as(responded.output).isZero();
            Api.Response result = api.get("/api/v1/sign-ins/" + pending.string("signInId"));
            assertThat(result.string("state")).isEqualTo("approved");
            assertThat(result.string("sessionToken")).isNotBlank();

            Result wrongPassphrase = app(appJar, vault, "", Map.of("AUTHENTICATOR_PASSPHRASE", "not it"), "list");
            assertThat(wrongPassphrase.exitCode).isEqualTo(1);
            assertThat(wrongPassphrase.output).doesNotContain("Exception");
        } finally {
            service.stop();
        }

        Service again = Service.start(serviceJar, dataDir, port);
        try {
            assertThat(again.output()).doesNotContain("created the admin");
            assertThat(api.get("/api/v1/admin/users?mfa=enforced", api.post("/api/v1/sign-ins", new JsonObject()
                    .put("username", "admin").put("password", ADMIN_PASSWORD).put("app", "jar test"))
                    .string("sessionToken")).array("users")).extracting(u -> ((JsonObject) u).getString("username"))
                    .containsExactly("bob");
        } finally {
            again.stop();
        }
    }

    private static JsonObject signIn(String username) {
        return new JsonObject().put("username", username).put("password", "bob's password").put("app", "Mail");
    }

    private record Result(int exitCode, String output) {
    }

    private static Result app(Path jar, Path vault, String stdin, String... args) throws Exception {
        return app(jar, vault, stdin, Map.of("AUTHENTICATOR_PASSPHRASE", PASSPHRASE), args);
    }

    private static Result app(Path jar, Path vault, String stdin, Map<String, String> env, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString(), "--vault", vault.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The service as a child process, with its output collected. */
    private static final class Service {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        private Service(Process process) {
            this.process = process;
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

        static Service start(Path jar, Path dataDir, int port) throws Exception {
            ProcessBuilder builder = new ProcessBuilder(java(), "-jar", jar.toString(), "--port",
                    Integer.toString(port), "--data-dir", dataDir.toString(), "--bootstrap-admin", "admin")
                    .redirectErrorStream(true);
            builder.environment().put("COUNTERSIGN_ADMIN_PASSWORD", ADMIN_PASSWORD);
            Service service = new Service(builder.start());
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!service.output().contains("Countersign is running")) {
                if (!service.process.isAlive() || System.nanoTime() > deadline) {
                    service.process.destroyForcibly();
                    throw new AssertionError("the service did not start:\n" + service.output());
                }
                Thread.sleep(100);
            }
            return service;
        }

        String output() {
            return String.join("\n", lines);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the service did not stop on SIGTERM within 30 s:\n" + output());
            }
        }
    }
}
