package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sign-in policy with security defaults on, as on a fresh installation (ARCHITECTURE.md §2.2 step 2, §4): every
 * user needs MFA, with 14 days from the first sign-in to register.
 */
class SecurityDefaultsSignInTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    /** Runs {@code body} with the clock moved ahead, then moves it back so other tests see the usual time. */
    private static void later(Duration ahead, Runnable body) {
        Instant before = fixture.clock().instant();
        fixture.clock().advance(ahead);
        try {
            body.run();
        } finally {
            fixture.clock().set(before);
        }
    }

    @Nested
    class ADisabledUserWithoutADevice {
        @Test
        void getsASkippableRegistrationWithFourteenDaysLeftAndAFullSession() {
            fixture.flows().createUser(fixture.admin(), "una", "disabled");
            Api.Response signIn = fixture.flows().signIn("una");

            assertThat(signIn.status()).isEqualTo(200);
            assertThat(signIn.string("state")).isEqualTo("registration_required");
            assertThat(signIn.json().getBoolean("skippable")).isTrue();
            assertThat(signIn.json().getInteger("daysLeft")).isEqualTo(14);
            String session = signIn.string("sessionToken");
            assertThat(fixture.rows().session(session)).isEqualTo(new Rows.SessionRow("full", false));
            assertThat(fixture.api().get("/api/v1/me/methods", session).status()).isEqualTo(200);
            assertThat(fixture.api().post("/api/v1/enrollments", new JsonObject(), session).status()).isEqualTo(201);
        }

        @Test
        void countsTheDaysFromTheFirstSignInThatAsked() {
            fixture.flows().createUser(fixture.admin(), "vic", "disabled");
            fixture.flows().signIn("vic");
            later(Duration.ofDays(3).plusHours(2), () -> {
                Api.Response signIn = fixture.flows().signIn("vic");
                assertThat(signIn.json().getBoolean("skippable")).isTrue();
                assertThat(signIn.json().getInteger("daysLeft")).isEqualTo(11);
            });
        }

        @Test
        void afterFifteenDaysCanNoLongerSkipAndGetsARegistrationOnlySessionEvenAsAnAdmin() {
            Api.Response created = fixture.api().post("/api/v1/admin/users", new JsonObject().put("username", "wes")
                    .put("password", TestService.PASSWORD).put("role", "admin"), fixture.admin());
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(fixture.flows().signIn("wes").json().getBoolean("skippable")).isTrue();

            later(Duration.ofDays(15), () -> {
                Api.Response signIn = fixture.flows().signIn("wes");
                assertThat(signIn.string("state")).as(signIn.toString()).isEqualTo("registration_required");
                assertThat(signIn.json().getBoolean("skippable")).isFalse();
                assertThat(signIn.json().getInteger("daysLeft")).isZero();
                String session = signIn.string("sessionToken");
                assertThat(fixture.rows().session(session)).isEqualTo(new Rows.SessionRow("registration", false));

                assertThat(fixture.api().post("/api/v1/enrollments", new JsonObject(), session).status())
                        .isEqualTo(201);
                Api.Response refused = fixture.api().get("/api/v1/admin/users", session);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                assertThat(refused.error()).isNotBlank();
                assertThat(fixture.api().delete("/api/v1/me/devices/" + java.util.UUID.randomUUID(), session).status())
                        .isEqualTo(403);
            });
        }
    }

    @Nested
    class AUserEnrolledByTheAdmin {
        @Test
        void thatIsEnforcedAndHasNoDeviceCannotSkipRegistration() {
            fixture.flows().createUser(fixture.admin(), "xia", "enforced");
            Api.Response signIn = fixture.flows().signIn("xia");
            assertThat(signIn.string("state")).isEqualTo("registration_required");
            assertThat(signIn.json().getBoolean("skippable")).isFalse();
            assertThat(signIn.json().containsKey("daysLeft")).isFalse();
            assertThat(fixture.rows().session(signIn.string("sessionToken")).scope()).isEqualTo("registration");
        }

        @Test
        void thatIsEnabledAndHasNoDeviceCannotSkipRegistration() {
            fixture.flows().createUser(fixture.admin(), "yan", "enabled");
            Api.Response signIn = fixture.flows().signIn("yan");
            assertThat(signIn.string("state")).isEqualTo("registration_required");
            assertThat(signIn.json().getBoolean("skippable")).isFalse();
            assertThat(fixture.rows().session(signIn.string("sessionToken")).scope()).isEqualTo("registration");
        }
    }

    @Nested
    class AUserWithADevice {
        @Test
        void isChallengedEvenWhenTheirOwnStateIsDisabled() {
            fixture.flows().createUser(fixture.admin(), "zed", "disabled");
            try (TestDevice device = fixture.flows().registerDevice("zed")) {
                Api.Response signIn = fixture.flows().signIn("zed");
                assertThat(signIn.string("state")).isEqualTo("pending");
                assertThat(signIn.string("number")).matches("[1-9][0-9]");
                assertThat(signIn.json().containsKey("sessionToken")).isFalse();
            }
        }
    }

    @Nested
    class AWrongPassword {
        @Test
        void andAnUnknownUserGetTheSameAnswer() {
            fixture.flows().createUser(fixture.admin(), "abi", "disabled");
            Api.Response wrong = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "abi")
                    .put("password", "not the password").put("app", "Payroll"));
            Api.Response unknown = fixture.api().post("/api/v1/sign-ins", new JsonObject()
                    .put("username", "nobody-here").put("password", "not the password").put("app", "Payroll"));

            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.error()).isEqualTo("invalid_credentials");
            assertThat(unknown.status()).isEqualTo(wrong.status());
            assertThat(unknown.body()).isEqualTo(wrong.body());
            assertThat(unknown.contentType()).isEqualTo(wrong.contentType());
        }

        @Test
        void issuesNoSessionAndStartsNoSignIn() {
            fixture.flows().createUser(fixture.admin(), "bo", "disabled");
            String before = fixture.service().snapshot();
            fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "bo")
                    .put("password", "wrong password").put("app", "Payroll"));
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }
}
