package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service drops the app's push channel (as a node going away does) while the app listens; a sign-in is
 * created in the gap, before the app is back. The app reconnects by itself (backoff with jitter), gets the request
 * that is pending, and the person approves it: nothing sent during the gap is missed.
 */
@Timeout(120)
class DeviceChannelDropTest {
    static TestService service;
    static Api api;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        service = TestService.start();
        api = service.api;
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void theAppReconnectsAfterTheServiceDropsItsChannelAndGetsTheRequestSentMeanwhile() throws Exception {
        AppRunner app = new AppRunner(home.resolve("vault.cs"), service.clock);
        String admin = service.flows().adminToken();
        service.flows().createUser(admin, "dora", "enforced");
        String registration = service.flows().signIn("dora").string("sessionToken");
        Api.Response enrollment = api.post("/api/v1/enrollments", new JsonObject(), registration);
        Path qr = home.resolve("enroll.png");
        String dataUrl = enrollment.string("qrPngUrl");
        Files.write(qr, Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));
        assertThat(app.run("init").exitCode()).isZero();
        assertThat(app.run("scan", qr.toString(), "--yes").exitCode()).isZero();
        String testNumber = api.get("/api/v1/enrollments/" + enrollment.string("enrollmentId"), registration).json()
                .getJsonObject("testSignIn").getString("number");
        assertThat(app.runWithInput(testNumber + "\n", "listen", "--once").exitCode()).isZero();

        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<AppRunner.Run> listening = CompletableFuture.supplyAsync(
                () -> app.run(stdin, out, err, "listen"));
        awaitText(err, "Listening for", Duration.ofSeconds(20));

        for (int drop = 1; drop <= 2; drop++) {
            service.server.channels().closeAll();
            Api.Response gap = service.flows().signIn("dora");
            assertThat(gap.string("state")).isEqualTo("pending");
            awaitText(out, "Payroll", drop, Duration.ofSeconds(40));
            keyboard.write((gap.string("number") + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            Api.Response result = api.get("/api/v1/sign-ins/" + gap.string("signInId") + "?waitSeconds=20");
            assertThat(result.string("state")).as(result + "\n--- out\n" + out + "\n--- err\n" + err)
                    .isEqualTo("approved");
            System.out.printf("DeviceChannelDropTest: drop %d: the app reconnected and approved the sign-in created"
                    + " while it was away%n", drop);
        }
        assertThat(err.toString()).as(err.toString()).containsIgnoringCase("reconnect");
        keyboard.close();
        AppRunner.Run ended = listening.get(30, TimeUnit.SECONDS);
        assertThat(ended.exitCode()).as(ended.toString()).isZero();
    }

    private static int count(String text, String part) {
        return text.split(part, -1).length - 1;
    }

    /** Waits until {@code text} appears {@code times} times (a request shows its app name once). */
    private static void awaitText(StringWriter writer, String text, int times, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count(writer.toString(), text) < times) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' (" + times + "×) within " + timeout + " in:\n" + writer);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitText(StringWriter writer, String text, Duration timeout) throws InterruptedException {
        awaitText(writer, text, 1, timeout);
    }
}
