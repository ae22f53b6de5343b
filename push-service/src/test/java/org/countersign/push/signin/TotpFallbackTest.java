package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TOTP fallback (ARCHITECTURE.md §2.2 step 6, §3.4): a code from a verified device, one step either side,
 * each step accepted once per device.
 */
class TotpFallbackTest {
    private static final Duration STEP = Duration.ofSeconds(30);

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    private static TestDevice enforcedUserWithDevice(String username) {
        return fixture.flows().enforcedUserWithDevice(fixture.admin(), username);
    }

    private static String startSignIn(String username) {
        Api.Response started = fixture.flows().signIn(username);
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        return started.string("signInId");
    }

    private static String code(TestDevice device, Instant at) {
        return Totp.DEFAULT.codeAt(device.activation().totpSecret(), at);
    }

    private static Api.Response submit(String signInId, Object code) {
        return fixture.api().post("/api/v1/sign-ins/" + signInId + "/totp", new JsonObject().put("code", code));
    }

    @Nested
    class AValidCode {
        @Test
        void approvesAndReturnsASessionTokenOnce() {
            try (TestDevice device = enforcedUserWithDevice("ana")) {
                String id = startSignIn("ana");
                Api.Response answer = submit(id, code(device, fixture.clock().instant()));

                assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                assertThat(answer.string("state")).isEqualTo("approved");
                String session = answer.string("sessionToken");
                assertThat(session).isNotBlank();
                assertThat(fixture.rows().session(session)).isEqualTo(new Rows.SessionRow("full", true));
                assertThat(fixture.api().get("/api/v1/me/methods", session).status()).isEqualTo(200);
                assertThat(fixture.rows().signIn(id).method()).isEqualTo("totp");

                Api.Response read = fixture.api().get("/api/v1/sign-ins/" + id);
                assertThat(read.string("state")).isEqualTo("approved");
                assertThat(read.json().containsKey("sessionToken")).isFalse();
            }
        }

        @Test
        void withALeadingZeroApprovesAsTheStringTheAppShows() {
            try (TestDevice device = enforcedUserWithDevice("zoe")) {
                // About one step in ten has a code starting with 0; move the clock until this device's does.
                for (int steps = 0; !code(device, fixture.clock().instant()).startsWith("0"); steps++) {
                    assertThat(steps).as("steps searched for a code starting with 0").isLessThan(200);
                    fixture.clock().advance(STEP);
                }
                String code = code(device, fixture.clock().instant());
                String id = startSignIn("zoe");

                Api.Response answer = submit(id, code);

                assertThat(code).hasSize(6).startsWith("0");
                assertThat(answer.status()).as(code + " → " + answer).isEqualTo(200);
                assertThat(answer.string("state")).isEqualTo("approved");
                assertThat(answer.string("sessionToken")).isNotBlank();
                assertThat(fixture.rows().signIn(id).method()).isEqualTo("totp");
            }
        }

        @Test
        void isRefusedOnASecondSignInWithinItsWindow() {
            try (TestDevice device = enforcedUserWithDevice("bob")) {
                String code = code(device, fixture.clock().instant());
                assertThat(submit(startSignIn("bob"), code).status()).isEqualTo(200);

                String second = startSignIn("bob");
                Api.Response replay = submit(second, code);

                assertThat(replay.status()).as(replay.toString()).isEqualTo(400);
                assertThat(replay.error()).isEqualTo("invalid_code");
                assertThat(fixture.rows().signIn(second).state()).isEqualTo("pending");
            }
        }

        @Test
        void fromAnEarlierStepIsRefusedOnceALaterStepWasUsed() {
            try (TestDevice device = enforcedUserWithDevice("cy")) {
                Instant earlier = fixture.clock().instant();
                fixture.clock().advance(STEP);
                assertThat(submit(startSignIn("cy"), code(device, fixture.clock().instant())).status()).isEqualTo(200);

                String second = startSignIn("cy");
                Api.Response older = submit(second, code(device, earlier));

                assertThat(older.status()).as(older.toString()).isEqualTo(400);
                assertThat(older.error()).isEqualTo("invalid_code");
                assertThat(fixture.rows().signIn(second).state()).isEqualTo("pending");
            }
        }

        @Test
        void withRememberDeviceReturnsARememberTokenThatSkipsMfaNextTime() throws Exception {
            try (TestDevice device = enforcedUserWithDevice("dot")) {
                String id = startSignIn("dot");
                device.next(ApprovalRequest.class);
                Api.Response answer = fixture.api().post("/api/v1/sign-ins/" + id + "/totp", new JsonObject()
                        .put("code", code(device, fixture.clock().instant())).put("rememberDevice", true));
                assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                String remember = answer.string("rememberToken");
                assertThat(remember).isNotBlank();

                Api.Response later = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "dot")
                        .put("password", TestService.PASSWORD).put("app", "Payroll").put("rememberToken", remember));

                assertThat(later.status()).as(later.toString()).isEqualTo(200);
                assertThat(later.string("state")).isEqualTo("approved");
                assertThat(later.string("sessionToken")).isNotBlank();
                assertThat(fixture.rows().session(later.string("sessionToken")).mfaCompleted()).isTrue();
                assertThat(device.quietFor(Duration.ofMillis(300))).isTrue();
            }
        }
    }

    @Nested
    class TheWindow {
        @Test
        void acceptsOneStepEitherSideButNotTwo() {
            try (TestDevice device = enforcedUserWithDevice("eda")) {
                Instant now = fixture.clock().instant();
                String first = startSignIn("eda");
                assertThat(submit(first, code(device, now.minus(STEP.multipliedBy(2)))).status()).isEqualTo(400);
                assertThat(submit(first, code(device, now.minus(STEP))).status()).isEqualTo(200);

                String second = startSignIn("eda");
                assertThat(submit(second, code(device, now.plus(STEP.multipliedBy(2)))).status()).isEqualTo(400);
                assertThat(submit(second, code(device, now.plus(STEP))).status()).isEqualTo(200);
            }
        }
    }

    @Nested
    class AWrongCode {
        @Test
        void isRefusedLeavesTheSignInPendingAndCountsAFailedAttempt() {
            try (TestDevice device = enforcedUserWithDevice("flo")) {
                String id = startSignIn("flo");
                String right = code(device, fixture.clock().instant());
                String wrong = right.equals("000000") ? "000001" : "000000";

                Api.Response refused = submit(id, wrong);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_code");
                assertThat(fixture.rows().signIn(id).state()).isEqualTo("pending");
                assertThat(fixture.rows().failedMfaAttempts("flo")).isEqualTo(1);

                submit(id, wrong);
                assertThat(fixture.rows().failedMfaAttempts("flo")).isEqualTo(2);

                assertThat(submit(id, right).status()).isEqualTo(200);
                assertThat(fixture.rows().failedMfaAttempts("flo")).isZero();
            }
        }

        @Test
        void ofTheWrongShapeIsAnInvalidFieldAndChangesNothing() {
            try (TestDevice device = enforcedUserWithDevice("gus")) {
                String id = startSignIn("gus");
                String before = fixture.service().snapshot();
                for (Object code : new Object[] {"12a456", "12345", "abcdef", "123456789", "", "12345\u0000",
                        123456, true}) {
                    Api.Response refused = submit(id, code);
                    assertThat(refused.status()).as(code + " → " + refused).isEqualTo(400);
                    assertThat(refused.error()).isEqualTo("invalid_field");
                }
                Api.Response missing = fixture.api().post("/api/v1/sign-ins/" + id + "/totp", new JsonObject());
                assertThat(missing.status()).isEqualTo(400);
                assertThat(fixture.service().snapshot()).isEqualTo(before);
                assertThat(fixture.rows().failedMfaAttempts("gus")).isZero();
            }
        }

        @Test
        void fromAnotherUsersDeviceIsRefused() {
            try (TestDevice mine = enforcedUserWithDevice("hu");
                 TestDevice theirs = enforcedUserWithDevice("io")) {
                String id = startSignIn("hu");
                Api.Response refused = submit(id, code(theirs, fixture.clock().instant()));
                assertThat(refused.status()).isEqualTo(400);
                assertThat(fixture.rows().signIn(id).state()).isEqualTo("pending");
            }
        }
    }

    @Nested
    class ASignInThatCannotTakeACode {
        @Test
        void isAlreadyDecidedOnceApprovedOrExpired() {
            try (TestDevice device = enforcedUserWithDevice("jo")) {
                String approved = startSignIn("jo");
                assertThat(submit(approved, code(device, fixture.clock().instant())).status()).isEqualTo(200);
                fixture.clock().advance(STEP);
                Api.Response again = submit(approved, code(device, fixture.clock().instant()));
                assertThat(again.status()).isEqualTo(409);
                assertThat(again.error()).isEqualTo("already_decided");

                String expiring = startSignIn("jo");
                fixture.clock().advance(Duration.ofSeconds(91));
                Api.Response late = submit(expiring, code(device, fixture.clock().instant()));
                assertThat(late.status()).as(late.toString()).isEqualTo(409);
                assertThat(late.error()).isEqualTo("already_decided");
            }
        }

        @Test
        void isNotFoundWhenUnknown() {
            Api.Response unknown = submit(java.util.UUID.randomUUID().toString(), "123456");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.error()).isEqualTo("not_found");
        }
    }

    @Nested
    class RememberTokens {
        @Test
        void ofAnotherUserOrMadeUpOnesStillAskForMfa() {
            try (TestDevice dev = enforcedUserWithDevice("kay");
                 TestDevice other = enforcedUserWithDevice("lu")) {
                String id = startSignIn("kay");
                String remember = fixture.api().post("/api/v1/sign-ins/" + id + "/totp", new JsonObject()
                        .put("code", code(dev, fixture.clock().instant())).put("rememberDevice", true))
                        .string("rememberToken");

                for (String token : new String[] {remember, "made-up-token"}) {
                    String user = token.equals(remember) ? "lu" : "kay";
                    Api.Response later = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", user)
                            .put("password", TestService.PASSWORD).put("app", "Payroll").put("rememberToken", token));
                    assertThat(later.string("state")).as(later.toString()).isEqualTo("pending");
                    assertThat(later.json().containsKey("sessionToken")).isFalse();
                }
            }
        }

        @Test
        void runOutAfterTheConfiguredDays() {
            try (TestDevice device = enforcedUserWithDevice("mia")) {
                String id = startSignIn("mia");
                String remember = fixture.api().post("/api/v1/sign-ins/" + id + "/totp", new JsonObject()
                        .put("code", code(device, fixture.clock().instant())).put("rememberDevice", true))
                        .string("rememberToken");
                fixture.clock().advance(Duration.ofDays(15));
                try {
                    Api.Response later = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "mia")
                            .put("password", TestService.PASSWORD).put("app", "Payroll")
                            .put("rememberToken", remember));
                    assertThat(later.string("state")).as(later.toString()).isEqualTo("pending");
                } finally {
                    fixture.clock().advance(Duration.ofDays(-15));
                }
            }
        }
    }
}
