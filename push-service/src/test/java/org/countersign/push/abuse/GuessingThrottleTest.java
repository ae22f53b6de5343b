package org.countersign.push.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.AbuseCalls;
import org.countersign.push.testing.AbuseCalls.Attempt;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guessing is throttled (ARCHITECTURE.md §3.4): failed passwords, TOTP codes and wrong numbers count per lowercased
 * username and per client address; after 5 failures in a row each attempt waits (5 s, doubling, at most 15 min),
 * and after 20 the user is locked out until an admin clears it. Each test uses its own client address.
 */
class GuessingThrottleTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults();
    static final AbuseCalls calls = new AbuseCalls(fixture::service);

    /** A fresh admin session: these tests move the clock past a session's lifetime. */
    static String admin() {
        return fixture.flows().adminToken();
    }

    @Nested
    class WrongPasswords {
        @Test
        void afterFiveTheNextAttemptWaitsAndEvenTheRightPasswordIsNotEvaluated() {
            fixture.flows().createUser(admin(), "tia", "disabled");
            List<Attempt> five = calls.guess("tia", "198.51.100.1", 5);
            assertThat(five).extracting(Attempt::status).containsOnly(401);

            Attempt refused = calls.rightPassword("tia", "198.51.100.1");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.outcome()).isEqualTo("too_many_attempts");
            assertThat(refused.retryAfter()).isEqualTo("5");
            assertThat(refused.body().containsKey("sessionToken")).isFalse();

            fixture.clock().advance(Duration.ofSeconds(5));
            assertThat(calls.rightPassword("tia", "198.51.100.1").status()).isEqualTo(200);
        }

        @Test
        void theWaitDoublesUpToFifteenMinutes() {
            fixture.flows().createUser(admin(), "uma", "disabled");
            List<Attempt> transcript = calls.guess("uma", "198.51.100.2", 19);
            List<String> waits = transcript.stream().filter(a -> a.status() == 429).map(Attempt::retryAfter).toList();
            assertThat(waits).containsExactly("5", "10", "20", "40", "80", "160", "320", "640", "900", "900", "900",
                    "900", "900", "900");
        }

        @Test
        void aSuccessResetsTheCount() {
            fixture.flows().createUser(admin(), "vic", "disabled");
            calls.guess("vic", "198.51.100.3", 4);
            assertThat(calls.rightPassword("vic", "198.51.100.3").status()).isEqualTo(200);
            calls.guess("vic", "198.51.100.3", 4);
            assertThat(calls.wrongPassword("vic", "198.51.100.3").status()).as("the 5th failure is still evaluated")
                    .isEqualTo(401);
            assertThat(calls.rightPassword("vic", "198.51.100.3").status()).isEqualTo(429);
        }

        @Test
        void countAgainstTheAddressAcrossUsernames() {
            fixture.flows().createUser(admin(), "wes", "disabled");
            for (int i = 0; i < 10; i++) {
                assertThat(calls.wrongPassword("sprayed-" + i, "198.51.100.4").status()).isEqualTo(401);
            }
            Attempt fromThere = calls.rightPassword("wes", "198.51.100.4");
            assertThat(fromThere.status()).isEqualTo(429);
            assertThat(fromThere.outcome()).isEqualTo("too_many_attempts");
            assertThat(calls.rightPassword("wes", "198.51.100.5").status()).as("another address").isEqualTo(200);
        }
    }

    @Nested
    class Lockout {
        @Test
        void comesAfterTwentyFailuresAndOnlyAnAdminClearsIt() {
            fixture.flows().createUser(admin(), "xia", "disabled");
            calls.guess("xia", "198.51.100.6", 20);

            Attempt locked = calls.rightPassword("xia", "198.51.100.7");
            assertThat(locked.status()).isEqualTo(423);
            assertThat(locked.outcome()).isEqualTo("locked_out");
            fixture.clock().advance(Duration.ofDays(2));
            assertThat(calls.rightPassword("xia", "198.51.100.7").outcome()).as("time does not unlock")
                    .isEqualTo("locked_out");
            assertThat(calls.audited("user.locked_out", "xia")).isEqualTo(1);
            assertThat(calls.listed("xia", admin()).getBoolean("lockedOut")).isTrue();
            assertThat(fixture.api().get("/api/v1/admin/users/xia", admin()).json().getBoolean("lockedOut")).isTrue();

            Api.Response cleared = calls.userAction("xia", "clear_lockout", admin());
            assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
            assertThat(cleared.json().getBoolean("lockoutCleared")).isTrue();
            assertThat(calls.audited("admin.user_action", "xia")).isEqualTo(1);
            assertThat(calls.listed("xia", admin()).getBoolean("lockedOut")).isFalse();
            assertThat(calls.rightPassword("xia", "198.51.100.7").status()).isEqualTo(200);
        }

        @Test
        void alsoRefusesAppPasswordsAndWrongAppPasswordsCount() {
            calls.setSettings(new JsonObject().put("appPasswordsAllowed", true), admin());
            fixture.flows().createUser(admin(), "zoe", "disabled");
            for (int i = 0; i < 5; i++) {
                assertThat(calls.legacySignIn("zoe", "wrong-app-password").status()).isEqualTo(401);
            }
            Attempt throttled = calls.legacySignIn("zoe", "wrong-app-password");
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.retryAfter()).isEqualTo("5");

            calls.guess("zoe", "198.51.100.14", 20);

            assertThat(calls.legacySignIn("zoe", "any-app-password").outcome()).isEqualTo("locked_out");
        }

        @Test
        void anUnknownUsernameIsThrottledAndLockedExactlyLikeAKnownOne() {
            fixture.flows().createUser(admin(), "yan", "disabled");
            List<String> known = calls.guess("Yan", "198.51.100.8", 21).stream().map(Attempt::observable).toList();
            List<String> unknown = calls.guess("nobody-yan", "198.51.100.9", 21).stream().map(Attempt::observable)
                    .toList();
            assertThat(unknown).isEqualTo(known);
            assertThat(known.get(known.size() - 1)).startsWith("423 locked_out");
            assertThat(calls.rightPassword("YAN", "198.51.100.10").outcome()).as("the key is the lowercased name")
                    .isEqualTo("locked_out");
        }
    }

    @Nested
    class SecondFactors {
        @Test
        void wrongTotpCodesCountAndANewPushDoesNotResetTheCount() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(admin(), "zed")) {
                Attempt first = calls.rightPassword("zed", "198.51.100.11");
                String firstId = first.body().getString("signInId");
                for (int i = 0; i < 4; i++) {
                    assertThat(totp(firstId, "000000").error()).isEqualTo("invalid_code");
                }
                Attempt second = calls.rightPassword("zed", "198.51.100.11");
                assertThat(second.outcome()).as("a new push").isEqualTo("pending");
                String secondId = second.body().getString("signInId");
                assertThat(totp(secondId, "000000").error()).as("the 5th failure").isEqualTo("invalid_code");

                Api.Response throttled = totp(secondId, "000000");
                assertThat(throttled.status()).isEqualTo(429);
                assertThat(throttled.error()).isEqualTo("too_many_attempts");
                assertThat(calls.rightPassword("zed", "198.51.100.12").status()).as("the same user, by password")
                        .isEqualTo(429);
            }
        }

        @Test
        void wrongNumbersCount() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(admin(), "abe")) {
                for (int i = 0; i < 5; i++) {
                    Attempt started = calls.rightPassword("abe", "198.51.100.13");
                    assertThat(started.outcome()).isEqualTo("pending");
                    ApprovalRequest request = device.next(ApprovalRequest.class);
                    String wrong = started.body().getString("number").equals("10") ? "11" : "10";
                    device.send(device.answer(request.signInId(), Decision.APPROVE, wrong));
                    assertThat(device.next(ApprovalResult.class).reason()).isEqualTo("wrong_number");
                }
                assertThat(calls.rightPassword("abe", "198.51.100.13").outcome()).isEqualTo("too_many_attempts");
            }
        }

        private Api.Response totp(String signInId, String code) {
            return fixture.api().post("/api/v1/sign-ins/" + signInId + "/totp", new JsonObject().put("code", code));
        }
    }
}
