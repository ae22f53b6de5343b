package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sign-in policy with security defaults off: only the per-user state asks for MFA (ARCHITECTURE.md §4). */
class PasswordOnlySignInTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();

    @Test
    void aDisabledUserSignsInWithThePasswordAloneAndNoPushIsSent() throws Exception {
        fixture.flows().createUser(fixture.admin(), "cara", "enforced");
        try (TestDevice device = fixture.flows().registerDevice("cara")) {
            Api.Response patched = fixture.api().patch("/api/v1/admin/users/cara", new JsonObject()
                    .put("mfaState", "disabled"), fixture.admin());
            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);

            Api.Response signIn = fixture.flows().signIn("cara");

            assertThat(signIn.status()).isEqualTo(200);
            assertThat(signIn.string("state")).isEqualTo("approved");
            assertThat(signIn.json().containsKey("number")).isFalse();
            String session = signIn.string("sessionToken");
            assertThat(fixture.rows().session(session)).isEqualTo(new Rows.SessionRow("full", false));
            assertThat(fixture.api().get("/api/v1/me/methods", session).status()).isEqualTo(200);
            assertThat(device.quietFor(Duration.ofMillis(300))).isTrue();
        }
    }

    @Test
    void aDisabledUserWithoutADeviceIsNotAskedToRegister() {
        fixture.flows().createUser(fixture.admin(), "dirk", "disabled");
        Api.Response signIn = fixture.flows().signIn("dirk");
        assertThat(signIn.string("state")).isEqualTo("approved");
        assertThat(signIn.json().containsKey("skippable")).isFalse();
        assertThat(signIn.string("sessionToken")).isNotBlank();
    }

    @Test
    void anEnforcedUserIsStillChallenged() {
        fixture.flows().createUser(fixture.admin(), "edna", "enforced");
        try (TestDevice device = fixture.flows().registerDevice("edna")) {
            Api.Response signIn = fixture.flows().signIn("edna");
            assertThat(signIn.string("state")).isEqualTo("pending");
            assertThat(signIn.json().containsKey("sessionToken")).isFalse();
        }
    }

    @Test
    void anEnforcedUserWithoutADeviceMustRegisterWithoutAGrace() {
        fixture.flows().createUser(fixture.admin(), "fred", "enforced");
        Api.Response signIn = fixture.flows().signIn("fred");
        assertThat(signIn.string("state")).isEqualTo("registration_required");
        assertThat(signIn.json().getBoolean("skippable")).isFalse();
        assertThat(signIn.json().containsKey("daysLeft")).isFalse();
        assertThat(fixture.rows().session(signIn.string("sessionToken")).scope()).isEqualTo("registration");
    }

    @Test
    void theAdminListShowsThatNothingRequiresMfaForADisabledUser() {
        fixture.flows().createUser(fixture.admin(), "gwen", "disabled");
        JsonObject gwen = fixture.api().get("/api/v1/admin/users?mfa=disabled", fixture.admin()).array("users").stream()
                .map(JsonObject.class::cast).filter(user -> user.getString("username").equals("gwen")).findFirst()
                .orElseThrow();
        assertThat(gwen.getJsonObject("effectiveMfa"))
                .isEqualTo(new JsonObject().put("required", false).put("reason", "none"));
    }

    @Test
    void aWrongPasswordAndAnUnknownUserGetTheSameAnswer() {
        fixture.flows().createUser(fixture.admin(), "hank", "disabled");
        Api.Response wrong = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "hank")
                .put("password", "not the password").put("app", "Payroll"));
        Api.Response unknown = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "nobody-at-all")
                .put("password", "not the password").put("app", "Payroll"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("invalid_credentials");
        assertThat(unknown.body()).isEqualTo(wrong.body());
        assertThat(unknown.status()).isEqualTo(wrong.status());
    }

    @Test
    void usernamesAreMatchedRegardlessOfCase() {
        fixture.flows().createUser(fixture.admin(), "Ivo", "disabled");
        Api.Response signIn = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "IVO")
                .put("password", TestService.PASSWORD).put("app", "Payroll"));
        assertThat(signIn.string("state")).as(signIn.toString()).isEqualTo("approved");
    }
}
