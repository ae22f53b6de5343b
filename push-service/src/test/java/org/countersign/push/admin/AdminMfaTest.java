package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.signin.MfaPolicy;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Admins complete MFA when policy requires it, like everyone: an admin with a registered device reaches no admin
 * call before approving the push. An admin without a method is treated as the documents treat every user: under
 * security defaults the 14-day registration grace lets them in (and ends), under a per-user state or a Conditional
 * Access policy they get a session good only for registering. The last test moves the clock past the grace.
 */
@TestMethodOrder(OrderAnnotation.class)
class AdminMfaTest {
    private static final String OPS_PASSWORD = "ops password 1234";

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation();
    static final AdminCalls calls = new AdminCalls(fixture::api);
    static String bootstrapSession;

    @BeforeAll
    static void twoMoreAdmins() {
        bootstrapSession = fixture.flows().adminToken();
        for (String name : new String[] {"mfa-ops", "mfa-pat"}) {
            Api.Response created = fixture.api().post("/api/v1/admin/users", new JsonObject().put("username", name)
                    .put("password", OPS_PASSWORD).put("role", "admin"), bootstrapSession);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
        }
    }

    private static Api.Response signIn(String username, String password) {
        return fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", username)
                .put("password", password).put("app", "Admin page"));
    }

    /** Registers the Authenticator app with a session that may register, as the sign-in page would. */
    private static TestDevice register(String session) {
        Api.Response created = fixture.api().post("/api/v1/enrollments", new JsonObject(), session);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        TestDevice device = TestDevice.activate(fixture.api(), EnrollmentUri.parse(created.string("uri")).code())
                .connect();
        ApprovalRequest test = device.next(ApprovalRequest.class);
        String number = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), session).json()
                .getJsonObject("testSignIn").getString("number");
        device.send(device.answer(test.signInId(), Decision.APPROVE, number));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        return device;
    }

    @Test
    @Order(1)
    void anAdminWithARegisteredDeviceReachesAdminCallsOnlyAfterApprovingThePush() {
        try (TestDevice device = register(bootstrapSession)) {
            Api.Response started = signIn(TestService.ADMIN, TestService.ADMIN_PASSWORD);
            assertThat(started.status()).as(started.toString()).isEqualTo(200);
            assertThat(started.string("state")).isEqualTo("pending");
            assertThat(started.json().containsKey("sessionToken")).isFalse();
            String signInId = started.string("signInId");

            // nothing to call admin routes with yet: without a token they are 401, and the sign-in holds none
            assertThat(fixture.api().get("/api/v1/admin/users").status()).isEqualTo(401);
            Api.Response waiting = fixture.api().get("/api/v1/sign-ins/" + signInId);
            assertThat(waiting.string("state")).isEqualTo("pending");
            assertThat(waiting.json().containsKey("sessionToken")).isFalse();

            ApprovalRequest request = device.next(ApprovalRequest.class);
            assertThat(request.signInId()).isEqualTo(signInId);
            device.send(device.answer(signInId, Decision.APPROVE, started.string("number")));
            assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");

            String session = fixture.api().get("/api/v1/sign-ins/" + signInId).string("sessionToken");
            assertThat(session).isNotNull();
            Api.Response users = fixture.api().get("/api/v1/admin/users", session);
            assertThat(users.status()).as(users.toString()).isEqualTo(200);
            assertThat(users.body()).contains("mfa-ops");
        }
    }

    @Test
    @Order(2)
    void underAPolicyRequiringMfaOfAdminsAnAdminWithoutAMethodMayOnlyRegister() {
        calls.setSettings(new JsonObject().put("securityDefaults", false), bootstrapSession);
        String id = calls.policy(new JsonObject().put("name", "Admins use MFA").put("state", "enabled")
                .put("grant", "require_mfa").put("includeRoles", new JsonArray().add("admin")), bootstrapSession);
        try {
            Api.Response started = signIn("mfa-pat", OPS_PASSWORD);
            assertThat(started.string("state")).as(started.toString()).isEqualTo("registration_required");
            assertThat(started.json().getBoolean("skippable")).isFalse();
            String session = started.string("sessionToken");

            Api.Response refused = fixture.api().get("/api/v1/admin/users", session);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.error()).isEqualTo("forbidden");
            assertThat(calls.settings(new JsonObject().put("rememberMfaDays", 1), session).status()).isEqualTo(403);
            assertThat(fixture.service().count("audit_events WHERE type = 'admin.forbidden' AND actor = 'mfa-pat'"))
                    .isEqualTo(2);
            // registering is what that session is for
            assertThat(fixture.api().post("/api/v1/enrollments", new JsonObject(), session).status()).isEqualTo(201);
        } finally {
            fixture.api().patch("/api/v1/admin/policies/" + id, new JsonObject().put("state", "disabled"),
                    bootstrapSession);
            calls.setSettings(new JsonObject().put("securityDefaults", true), bootstrapSession);
        }
    }

    /**
     * The documented choice (README, "Admin controls"): security defaults give every user, admins included, 14 days
     * from their first sign-in to register, as the reference documents describe; after that an admin without a
     * method gets no further than registering.
     */
    @Test
    @Order(3)
    void underSecurityDefaultsAnAdminWithoutAMethodHasTheRegistrationGraceAndNoMore() {
        Api.Response inGrace = signIn("mfa-ops", OPS_PASSWORD);
        assertThat(inGrace.string("state")).as(inGrace.toString()).isEqualTo("registration_required");
        assertThat(inGrace.json().getBoolean("skippable")).isTrue();
        assertThat(fixture.api().get("/api/v1/admin/users", inGrace.string("sessionToken")).status()).isEqualTo(200);

        fixture.clock().advance(MfaPolicy.REGISTRATION_GRACE.plus(Duration.ofHours(1)));
        Api.Response afterGrace = signIn("mfa-ops", OPS_PASSWORD);
        assertThat(afterGrace.string("state")).as(afterGrace.toString()).isEqualTo("registration_required");
        assertThat(afterGrace.json().getBoolean("skippable")).isFalse();
        Api.Response refused = fixture.api().get("/api/v1/admin/users", afterGrace.string("sessionToken"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.error()).isEqualTo("forbidden");
    }
}
