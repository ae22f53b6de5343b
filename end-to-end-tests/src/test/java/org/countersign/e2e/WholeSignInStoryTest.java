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
import org.countersign.authenticator.scan.QrDecoder;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole story of issue #2, with the real service (real PostgreSQL, HTTP and WebSocket) and the real app (its
 * vault, its QR scanner, its keys and its channel client): admin enforces MFA → registration → QR scanned by the
 * app → activation → test notification approved → push sign-ins with wrong and right numbers (the right one pushed
 * live to a channel already open) → TOTP once, not twice → the admin deletes the device, which loses its channel at
 * once and whose signatures are refused.
 */
@Timeout(120)
class WholeSignInStoryTest {
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
    void fromRegistrationToLostDevice() throws Exception {
        AppRunner app = new AppRunner(home.resolve("vault.cs"), service.clock);

        // The admin creates alice and enforces MFA.
        String admin = service.flows().adminToken();
        service.flows().createUser(admin, "alice", "enforced");

        // Her first sign-in must register first, with a session good only for that.
        Api.Response first = service.flows().signIn("alice");
        assertThat(first.string("state")).isEqualTo("registration_required");
        assertThat(first.json().getBoolean("skippable")).isFalse();
        String registration = first.string("sessionToken");
        assertThat(api.get("/api/v1/admin/users", registration).status()).isEqualTo(403);

        // Security info → Authenticator app: the service shows a QR code.
        Api.Response enrollment = api.post("/api/v1/enrollments", new JsonObject(), registration);
        assertThat(enrollment.status()).as(enrollment.toString()).isEqualTo(201);
        String dataUrl = enrollment.string("qrPngUrl");
        assertThat(dataUrl).startsWith("data:image/png;base64,");
        Path qr = home.resolve("enroll.png");
        Files.write(qr, Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));
        assertThat(new QrDecoder().decode(qr)).containsExactly(enrollment.string("uri"));

        // The app scans it, makes its key and activates.
        assertThat(app.run("init").exitCode()).isZero();
        AppRunner.Run scan = app.run("scan", qr.toString(), "--yes");
        assertThat(scan.exitCode()).as(scan.toString()).isZero();
        String enrollmentPath = "/api/v1/enrollments/" + enrollment.string("enrollmentId");
        JsonObject activated = api.get(enrollmentPath, registration).json();
        assertThat(activated.getString("state")).isEqualTo("activated");
        String deviceId = activated.getString("deviceId");

        // "Let's try it out": the test notification is approved with the number the page shows.
        String testNumber = activated.getJsonObject("testSignIn").getString("number");
        AppRunner.Run test = app.runWithInput(testNumber + "\n", "listen", "--once");
        assertThat(test.exitCode()).as(test.toString()).isZero();
        assertThat(test.out()).contains("Test notification").contains("approved");
        assertThat(api.get(enrollmentPath, registration).string("state")).isEqualTo("verified");

        // A sign-in: the push arrives; a wrong number denies it.
        Api.Response wrong = service.flows().signIn("alice");
        assertThat(wrong.string("state")).isEqualTo("pending");
        String wrongNumber = wrong.string("number").equals("42") ? "24" : "42";
        AppRunner.Run denied = app.runWithInput(wrongNumber + "\n", "listen", "--once");
        assertThat(denied.out()).as(denied.toString()).contains("Payroll").contains("203.0.113.7").contains("denied");
        Api.Response deniedResult = api.get("/api/v1/sign-ins/" + wrong.string("signInId"));
        assertThat(deniedResult.string("state")).isEqualTo("denied");
        assertThat(deniedResult.string("reason")).isEqualTo("wrong_number");
        assertThat(deniedResult.json().containsKey("sessionToken")).isFalse();

        // The right number approves and yields a session. This sign-in starts only once the app is listening, so its
        // push travels over the WebSocket already open, not as a re-send on channel login.
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream typed = new PipedInputStream(typing);
        StringWriter liveOut = new StringWriter();
        StringWriter liveErr = new StringWriter();
        CompletableFuture<AppRunner.Run> answering = CompletableFuture.supplyAsync(
                () -> app.run(typed, liveOut, liveErr, "listen", "--once"));
        awaitText(liveErr, "Listening for", Duration.ofSeconds(10));
        assertThat(liveOut.toString()).as("nothing was pending at channel login").doesNotContain("Sign-in request");
        Api.Response right = service.flows().signIn("alice");
        awaitText(liveOut, right.string("signInId"), Duration.ofSeconds(5));
        assertThat(liveOut.toString()).contains("Sign-in request").contains("Payroll").contains("203.0.113.7");
        typing.write((right.string("number") + "\n").getBytes(StandardCharsets.UTF_8));
        typing.flush();
        AppRunner.Run approved = answering.get(30, TimeUnit.SECONDS);
        typing.close();
        assertThat(approved.exitCode()).as(approved.toString()).isZero();
        assertThat(approved.out()).as(approved.toString()).contains("approved");
        Api.Response approvedResult = api.get("/api/v1/sign-ins/" + right.string("signInId") + "?waitSeconds=5");
        assertThat(approvedResult.string("state")).isEqualTo("approved");
        String session = approvedResult.string("sessionToken");
        assertThat(api.get("/api/v1/me/methods", session).array("methods")).hasSize(1);

        // TOTP fallback: a code from the app works once...
        String code = app.run("code", "alice").out().lines().findFirst().orElseThrow().trim();
        assertThat(code).matches("[0-9]{6}");
        Api.Response totpSignIn = service.flows().signIn("alice");
        Api.Response totp = api.post("/api/v1/sign-ins/" + totpSignIn.string("signInId") + "/totp",
                new JsonObject().put("code", code));
        assertThat(totp.status()).as(totp.toString()).isEqualTo(200);
        assertThat(totp.string("state")).isEqualTo("approved");
        assertThat(totp.string("sessionToken")).isNotBlank();

        // ...and is refused the second time.
        Api.Response replaySignIn = service.flows().signIn("alice");
        Api.Response replay = api.post("/api/v1/sign-ins/" + replaySignIn.string("signInId") + "/totp",
                new JsonObject().put("code", code));
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_code");

        // The phone is lost: while the app listens, the admin deletes the device.
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<AppRunner.Run> listening = CompletableFuture.supplyAsync(
                () -> app.run(stdin, out, err, "listen"));
        awaitText(err, "Listening for", Duration.ofSeconds(10));
        long before = System.nanoTime();
        Api.Response removed = api.delete("/api/v1/admin/devices/" + deviceId, admin);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        AppRunner.Run ended = listening.get(5, TimeUnit.SECONDS);
        long closedWithinMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before);
        assertThat(closedWithinMillis).as("channel closed after deletion").isLessThan(1000);
        assertThat(ended.err()).contains("device removed");
        keyboard.close();

        // Its signatures are refused, and the sign-in it could have answered is denied.
        AppRunner.Run late = app.run("respond", replaySignIn.string("signInId"), "--approve", "--number",
                replaySignIn.string("number"));
        assertThat(late.exitCode()).as(late.toString()).isEqualTo(1);
        assertThat(late.err()).contains("not registered");
        Api.Response cancelled = api.get("/api/v1/sign-ins/" + replaySignIn.string("signInId"));
        assertThat(cancelled.string("state")).isEqualTo("denied");
        assertThat(cancelled.string("reason")).isEqualTo("device_removed");

        // The next sign-in asks her to register again; the audit log says who removed the device.
        assertThat(service.flows().signIn("alice").string("state")).isEqualTo("registration_required");
        assertThat(service.sql("SELECT actor FROM audit_events WHERE type = 'device.removed'").iterator().next()
                .getString("actor")).isEqualTo("admin");
    }

    static void awaitText(StringWriter writer, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!writer.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + text + "' within " + timeout + " in:\n" + writer);
            }
            Thread.sleep(20);
        }
    }
}
