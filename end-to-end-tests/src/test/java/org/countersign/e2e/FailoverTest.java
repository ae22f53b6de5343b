package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one PostgreSQL behind one address (ARCHITECTURE.md §6), and the real app: the node holding the
 * app's channel dies; the app reconnects through the same address, lands on the other node, receives the sign-in
 * that node started while it was away, and the approval completes there.
 */
@Timeout(120)
class FailoverTest {
    static FirstAcceptingProxy balancer;
    static TestService nodeA;
    static TestService nodeB;
    static boolean nodeAStopped;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        balancer = FirstAcceptingProxy.start();
        URI publicUrl = URI.create("http://127.0.0.1:" + balancer.port());
        nodeA = TestService.startBehind(publicUrl);
        nodeB = TestService.joining(nodeA, publicUrl);
        balancer.backends(nodeA.port, nodeB.port);
    }

    @AfterAll
    static void stop() throws Exception {
        nodeB.close();
        if (!nodeAStopped) {
            nodeA.close();
        }
        balancer.close();
    }

    @Test
    void whenTheNodeHoldingTheChannelDiesTheAppAnswersThroughTheOtherNode() throws Exception {
        AppRunner app = new AppRunner(home.resolve("vault.cs"), nodeA.clock);
        String deviceId = registerTheApp(app, "alice");

        // The app listens; its channel, opened through the balancer, is held by node A.
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<AppRunner.Run> listening = CompletableFuture.supplyAsync(
                () -> app.run(stdin, out, err, "listen", "--once"));
        WholeSignInStoryTest.awaitText(err, "Listening for", Duration.ofSeconds(10));
        assertThat(nodeA.server.channels().isConnected(UUID.fromString(deviceId))).isTrue();
        assertThat(nodeB.server.channels().isConnected(UUID.fromString(deviceId))).isFalse();

        // Node A dies without saying goodbye (its connections just end); a sign-in starts on node B.
        balancer.sever(nodeA.port);
        nodeA.crash();
        nodeAStopped = true;
        Api.Response started = nodeB.flows().signIn("alice");
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        String signInId = started.string("signInId");

        // The app comes back through the same address, now to B, gets the request and the person types the number.
        keyboard.write((started.string("number") + "\n").getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        AppRunner.Run answered = listening.get(60, TimeUnit.SECONDS);
        keyboard.close();
        assertThat(answered.exitCode()).as(answered.toString()).isZero();
        assertThat(answered.out()).as(answered.toString()).contains("Payroll").contains(signInId)
                .contains("approved");
        assertThat(answered.err()).as(answered.toString()).contains("retrying");

        Api.Response result = nodeB.api.get("/api/v1/sign-ins/" + signInId + "?waitSeconds=5");
        assertThat(result.string("state")).as(result.toString()).isEqualTo("approved");
        assertThat(result.string("sessionToken")).isNotBlank();
    }

    /** Admin enforces MFA, the person registers the app through the balancer and approves its test notification. */
    private static String registerTheApp(AppRunner app, String username) throws Exception {
        String admin = nodeA.flows().adminToken();
        nodeA.flows().createUser(admin, username, "enforced");
        Api.Response first = nodeA.flows().signIn(username);
        assertThat(first.string("state")).isEqualTo("registration_required");
        String registration = first.string("sessionToken");
        Api.Response enrollment = nodeA.api.post("/api/v1/enrollments", new JsonObject(), registration);
        assertThat(enrollment.status()).as(enrollment.toString()).isEqualTo(201);
        assertThat(EnrollmentUri.parse(enrollment.string("uri")).activationUrl().getPort())
                .as("the app is sent to the balancer, not to a node").isEqualTo(balancer.port());
        String dataUrl = enrollment.string("qrPngUrl");
        Path qr = home.resolve("enroll.png");
        Files.write(qr, Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));

        assertThat(app.run("init").exitCode()).isZero();
        AppRunner.Run scan = app.run("scan", qr.toString(), "--yes");
        assertThat(scan.exitCode()).as(scan.toString()).isZero();
        String enrollmentPath = "/api/v1/enrollments/" + enrollment.string("enrollmentId");
        JsonObject activated = nodeA.api.get(enrollmentPath, registration).json();
        assertThat(activated.getString("state")).isEqualTo("activated");
        String testNumber = activated.getJsonObject("testSignIn").getString("number");
        AppRunner.Run test = app.runWithInput(testNumber + "\n", "listen", "--once");
        assertThat(test.out()).as(test.toString()).contains("Test notification").contains("approved");
        return activated.getString("deviceId");
    }
}
