package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestDevice;

/** The set-up steps of the process tests, over the HTTP API of a service jar (Flows needs an in-JVM service). */
final class ProcessFlows {
    static final String PASSWORD = "process test user password";

    private final Api api;

    ProcessFlows(Api api) {
        this.api = api;
    }

    String adminToken() {
        Api.Response response = api.post("/api/v1/sign-ins", new JsonObject().put("username", "admin")
                .put("password", ServiceProcess.ADMIN_PASSWORD).put("app", "tests"));
        assertThat(response.string("sessionToken")).as(response.toString()).isNotNull();
        return response.string("sessionToken");
    }

    Api.Response signIn(String username) {
        return api.post("/api/v1/sign-ins", new JsonObject().put("username", username).put("password", PASSWORD)
                .put("app", "Payroll").put("ip", "203.0.113.7"));
    }

    /** Creates an enforced user and registers a verified, connected device for them. */
    TestDevice enforcedUserWithDevice(String admin, String username) {
        Api.Response created = api.post("/api/v1/admin/users", new JsonObject().put("username", username)
                .put("password", PASSWORD).put("mfaState", "enforced"), admin);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = signIn(username).string("sessionToken");
        Api.Response enrollment = api.post("/api/v1/enrollments", new JsonObject(), token);
        TestDevice device = TestDevice.activate(api, EnrollmentUri.parse(enrollment.string("uri")).code()).connect();
        ApprovalRequest test = device.next(ApprovalRequest.class);
        String number = api.get("/api/v1/enrollments/" + enrollment.string("enrollmentId"), token).json()
                .getJsonObject("testSignIn").getString("number");
        device.send(device.answer(test.signInId(), Decision.APPROVE, number));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        return device;
    }

    /** The approval request for {@code signInId}, skipping frames about other sign-ins. */
    static ApprovalRequest requestFor(TestDevice device, String signInId) {
        for (int i = 0; i < 50; i++) {
            ChannelMessage message = device.next();
            if (message instanceof ApprovalRequest request && request.signInId().equals(signInId)) {
                return request;
            }
        }
        throw new AssertionError("no approval.request for " + signInId);
    }

    /** The result for {@code signInId}, skipping frames about other sign-ins. */
    static ApprovalResult resultFor(TestDevice device, String signInId) {
        for (int i = 0; i < 50; i++) {
            ChannelMessage message = device.next();
            if (message instanceof ApprovalResult result && result.signInId().equals(signInId)) {
                return result;
            }
        }
        throw new AssertionError("no approval.result for " + signInId);
    }
}
