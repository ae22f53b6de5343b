package org.countersign.push.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.EnrollmentUri;

/** The steps most tests share, each checked as it goes so a failure points at the step. */
public final class Flows {
    private final TestService service;
    private final Api api;

    Flows(TestService service) {
        this.service = service;
        this.api = service.api;
    }

    /** A full session of the bootstrap admin (within the security-defaults grace, no device needed). */
    public String adminToken() {
        Api.Response response = api.post("/api/v1/sign-ins", new JsonObject().put("username", TestService.ADMIN)
                .put("password", TestService.ADMIN_PASSWORD).put("app", "tests"));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.string("sessionToken")).as(response.toString()).isNotNull();
        return response.string("sessionToken");
    }

    public void createUser(String adminToken, String username, String mfaState) {
        Api.Response response = api.post("/api/v1/admin/users", new JsonObject().put("username", username)
                .put("password", TestService.PASSWORD).put("mfaState", mfaState), adminToken);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
    }

    public Api.Response signIn(String username) {
        return api.post("/api/v1/sign-ins", new JsonObject().put("username", username)
                .put("password", TestService.PASSWORD).put("app", "Payroll").put("ip", "203.0.113.7")
                .put("location", "Lisbon, PT"));
    }

    /** Starts an enrollment with the given session and returns the parsed URI from the answer. */
    public EnrollmentUri startEnrollment(String sessionToken) {
        Api.Response response = api.post("/api/v1/enrollments", new JsonObject(), sessionToken);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return EnrollmentUri.parse(response.string("uri"));
    }

    /**
     * Registers a device for a user whose MFA state asks for it: sign-in → registration_required → enrollment →
     * activation → the test notification approved over the channel. The device stays connected.
     */
    public TestDevice registerDevice(String username) {
        Api.Response signIn = signIn(username);
        assertThat(signIn.string("state")).as(signIn.toString()).isEqualTo("registration_required");
        String token = signIn.string("sessionToken");
        Api.Response created = api.post("/api/v1/enrollments", new JsonObject(), token);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        EnrollmentUri uri = EnrollmentUri.parse(created.string("uri"));
        TestDevice device = TestDevice.activate(api, uri.code()).connect();
        ApprovalRequest test = device.next(ApprovalRequest.class);
        Api.Response status = api.get("/api/v1/enrollments/" + created.string("enrollmentId"), token);
        String number = status.json().getJsonObject("testSignIn").getString("number");
        device.send(device.answer(test.signInId(), Decision.APPROVE, number));
        ApprovalResult result = device.next(ApprovalResult.class);
        assertThat(result.state()).isEqualTo("approved");
        return device;
    }

    /**
     * Adds a device for a user who already has one: a new enrollment under {@code mfaSessionToken} (a session that
     * completed MFA), activation, and the test notification approved over the new device's channel.
     */
    public TestDevice addDevice(String mfaSessionToken) {
        Api.Response created = api.post("/api/v1/enrollments", new JsonObject(), mfaSessionToken);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        TestDevice device = TestDevice.activate(api, EnrollmentUri.parse(created.string("uri")).code()).connect();
        ApprovalRequest test = device.next(ApprovalRequest.class);
        Api.Response status = api.get("/api/v1/enrollments/" + created.string("enrollmentId"), mfaSessionToken);
        String number = status.json().getJsonObject("testSignIn").getString("number");
        device.send(device.answer(test.signInId(), Decision.APPROVE, number));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        return device;
    }

    /** Creates a user whose MFA is enforced and registers a verified, connected device for them. */
    public TestDevice enforcedUserWithDevice(String adminToken, String username) {
        createUser(adminToken, username, "enforced");
        return registerDevice(username);
    }

    /** Signs in with push and approves with the right number; returns the session token. */
    public String signInWithPush(String username, TestDevice device) {
        Api.Response started = signIn(username);
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        ApprovalRequest request = device.next(ApprovalRequest.class);
        device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        Api.Response result = api.get("/api/v1/sign-ins/" + started.string("signInId"));
        assertThat(result.string("sessionToken")).as(result.toString()).isNotNull();
        return result.string("sessionToken");
    }
}
