package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.countersign.push.tls.SelfSignedTls;
import org.countersign.push.tls.TlsIdentity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service on HTTPS with a self-signed certificate, trusted by the app only through the pin of the enrollment URI
 * (ARCHITECTURE.md §3.1): with the right pin the app activates, listens over wss and answers over https; with a
 * pin of another key (a tampered QR code, or another server) it refuses before sending anything, says that the pin
 * does not match, and stores nothing.
 */
@Timeout(120)
class PinnedTlsStoryTest {
    static TlsIdentity identity;
    static TestService service;
    static Api api;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        identity = SelfSignedTls.generate("127.0.0.1", new SecureRandom());
        service = TestService.withTls(identity);
        api = service.api;
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonObject startRegistration(String user, String admin) {
        service.flows().createUser(admin, user, "enforced");
        Api.Response first = service.flows().signIn(user);
        assertThat(first.string("state")).isEqualTo("registration_required");
        String token = first.string("sessionToken");
        Api.Response enrollment = api.post("/api/v1/enrollments", new JsonObject(), token);
        assertThat(enrollment.status()).as(enrollment.toString()).isEqualTo(201);
        return enrollment.json().put("token", token);
    }

    @Test
    void aPinOfAnotherKeyIsRefusedAndNothingIsStored() {
        AppRunner app = new AppRunner(home.resolve("refusing.cs"), service.clock);
        assertThat(app.run("init").exitCode()).isZero();
        String admin = service.flows().adminToken();
        JsonObject enrollment = startRegistration("mallory-target", admin);
        EnrollmentUri genuine = EnrollmentUri.parse(enrollment.getString("uri"));
        assertThat(genuine.pin()).contains(identity.pin());
        String otherKeysPin = SelfSignedTls.generate("127.0.0.1", new SecureRandom()).pin();
        EnrollmentUri tampered = EnrollmentUri.of(genuine.activationUrl(), genuine.code(), genuine.issuer(),
                genuine.user(), java.util.Optional.of(otherKeysPin));

        AppRunner.Run refused = app.run("add", tampered.format());

        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).containsIgnoringCase("pin").contains("does not match");
        assertThat(app.run("list").out()).contains("no accounts");
        String enrollmentPath = "/api/v1/enrollments/" + enrollment.getString("enrollmentId");
        assertThat(api.get(enrollmentPath, enrollment.getString("token")).string("state")).isEqualTo("waiting");

        // the genuine code still works afterwards: the refused attempt never reached the service
        AppRunner.Run genuineAdd = app.run("add", genuine.format());
        assertThat(genuineAdd.exitCode()).as(genuineAdd.toString()).isZero();
    }

    @Test
    void withTheRightPinTheAppActivatesListensOverWssAndRespondsOverHttps() {
        AppRunner app = new AppRunner(home.resolve("vault.cs"), service.clock);
        assertThat(app.run("init").exitCode()).isZero();
        String admin = service.flows().adminToken();
        JsonObject enrollment = startRegistration("tess", admin);
        assertThat(enrollment.getString("uri")).contains("pin=sha256");

        AppRunner.Run added = app.run("add", enrollment.getString("uri"));
        assertThat(added.exitCode()).as(added.toString()).isZero();
        String enrollmentPath = "/api/v1/enrollments/" + enrollment.getString("enrollmentId");
        JsonObject activated = api.get(enrollmentPath, enrollment.getString("token")).json();
        assertThat(activated.getString("state")).isEqualTo("activated");

        // the channel (wss) to a self-signed server: trusted only through the stored pin
        String testNumber = activated.getJsonObject("testSignIn").getString("number");
        AppRunner.Run test = app.runWithInput(testNumber + "\n", "listen", "--once");
        assertThat(test.exitCode()).as(test.toString()).isZero();
        assertThat(test.out()).contains("approved");
        assertThat(api.get(enrollmentPath, enrollment.getString("token")).string("state")).isEqualTo("verified");

        Api.Response signIn = service.flows().signIn("tess");
        AppRunner.Run listened = app.runWithInput(signIn.string("number") + "\n", "listen", "--once");
        assertThat(listened.out()).as(listened.toString()).contains("approved");
        assertThat(api.get("/api/v1/sign-ins/" + signIn.string("signInId")).string("state")).isEqualTo("approved");

        // an answer over https (no channel) with the same pinned trust
        Api.Response next = service.flows().signIn("tess");
        AppRunner.Run responded = app.run("respond", next.string("signInId"), "--approve", "--number",
                next.string("number"));
        assertThat(responded.exitCode()).as(responded.toString()).isZero();
        assertThat(api.get("/api/v1/sign-ins/" + next.string("signInId")).string("state")).isEqualTo("approved");
    }
}
