package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sign-in policy with security defaults off: only the per-user state asks for MFA (ARCHITECTURE.md §4). */
class PasswordOnlySignInTest {
    static TestService service;
    static Api api;
    static Rows rows;
    static String admin;

    @BeforeAll
    static void start() {
        service = TestService.withoutSecurityDefaults();
        api = service.api;
        rows = new Rows(service);
        admin = service.flows().adminToken();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aDisabledUserSignsInWithThePasswordAloneAndNoPushIsSent() throws Exception {
        service.flows().createUser(admin, "cara", "enforced");
        try (TestDevice device = service.flows().registerDevice("cara")) {
            Api.Response patched = api.patch("/api/v1/admin/users/cara", new JsonObject().put("mfaState", "disabled"),
                    admin);
            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);

            Api.Response signIn = service.flows().signIn("cara");

            assertThat(signIn.status()).isEqualTo(200);
            assertThat(signIn.string("state")).isEqualTo("approved");
            assertThat(signIn.json().containsKey("number")).isFalse();
            String session = signIn.string("sessionToken");
            assertThat(rows.session(session)).isEqualTo(new Rows.SessionRow("full", false));
            assertThat(api.get("/api/v1/me/methods", session).status()).isEqualTo(200);
            assertThat(device.quietFor(Duration.ofMillis(300))).isTrue();
        }
    }

    @Test
    void aDisabledUserWithoutADeviceIsNotAskedToRegister() {
        service.flows().createUser(admin, "dirk", "disabled");
        Api.Response signIn = service.flows().signIn("dirk");
        assertThat(signIn.string("state")).isEqualTo("approved");
        assertThat(signIn.json().containsKey("skippable")).isFalse();
        assertThat(signIn.string("sessionToken")).isNotBlank();
    }

    @Test
    void anEnforcedUserIsStillChallenged() {
        service.flows().createUser(admin, "edna", "enforced");
        try (TestDevice device = service.flows().registerDevice("edna")) {
            Api.Response signIn = service.flows().signIn("edna");
            assertThat(signIn.string("state")).isEqualTo("pending");
            assertThat(signIn.json().containsKey("sessionToken")).isFalse();
        }
    }

    @Test
    void anEnforcedUserWithoutADeviceMustRegisterWithoutAGrace() {
        service.flows().createUser(admin, "fred", "enforced");
        Api.Response signIn = service.flows().signIn("fred");
        assertThat(signIn.string("state")).isEqualTo("registration_required");
        assertThat(signIn.json().getBoolean("skippable")).isFalse();
        assertThat(signIn.json().containsKey("daysLeft")).isFalse();
        assertThat(rows.session(signIn.string("sessionToken")).scope()).isEqualTo("registration");
    }

    @Test
    void theAdminListShowsThatNothingRequiresMfaForADisabledUser() {
        service.flows().createUser(admin, "gwen", "disabled");
        JsonObject gwen = api.get("/api/v1/admin/users?mfa=disabled", admin).array("users").stream()
                .map(JsonObject.class::cast).filter(user -> user.getString("username").equals("gwen")).findFirst()
                .orElseThrow();
        assertThat(gwen.getJsonObject("effectiveMfa"))
                .isEqualTo(new JsonObject().put("required", false).put("reason", "none"));
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
        service.flows().createUser(admin, "hank", "disabled");
        Api.Response wrong = api.post("/api/v1/sign-ins", new JsonObject().put("username", "hank")
                .put("password", "not the password").put("app", "Payroll"));
        Api.Response unknown = api.post("/api/v1/sign-ins", new JsonObject().put("username", "nobody-at-all")
                .put("password", "not the password").put("app", "Payroll"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("invalid_credentials");
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(unknown.status()).isEqualTo(wrong.status());
    }

    @Test
    void usernamesAreMatchedRegardlessOfCase() {
        service.flows().createUser(admin, "Ivo", "disabled");
        Api.Response signIn = api.post("/api/v1/sign-ins", new JsonObject().put("username", "IVO")
                .put("password", TestService.PASSWORD).put("app", "Payroll"));
        assertThat(signIn.string("state")).as(signIn.toString()).isEqualTo("approved");
    }
}
