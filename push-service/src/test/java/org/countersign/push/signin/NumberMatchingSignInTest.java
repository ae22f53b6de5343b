package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sign-in with number matching over a real channel (ARCHITECTURE.md §2.2, §3.3, §3.4). */
class NumberMatchingSignInTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    private static TestDevice enforcedUserWithDevice(String username) {
        return fixture.flows().enforcedUserWithDevice(fixture.admin(), username);
    }

    @Nested
    class ThePush {
        @Test
        void carriesTheContextButNeverTheNumber() {
            try (TestDevice device = enforcedUserWithDevice("carol")) {
                Api.Response started = fixture.flows().signIn("carol");
                assertThat(started.status()).isEqualTo(200);
                assertThat(started.string("state")).isEqualTo("pending");
                assertThat(started.string("number")).matches("[1-9][0-9]");
                assertThat(started.json().getJsonArray("methods").getList()).containsExactly("push", "totp");

                ApprovalRequest request = device.next(ApprovalRequest.class);
                assertThat(request.signInId()).isEqualTo(started.string("signInId"));
                assertThat(request.user()).isEqualTo("carol");
                assertThat(request.app()).isEqualTo("Payroll");
                assertThat(request.ip()).isEqualTo("203.0.113.7");
                assertThat(request.location()).isEqualTo("Lisbon, PT");
                assertThat(request.toJson().encode()).doesNotContain("\"number\"");
            }
        }

        @Test
        void isSentAgainWhenTheDeviceLogsInLater() {
            try (TestDevice device = enforcedUserWithDevice("dan")) {
                device.close();
                Api.Response started = fixture.flows().signIn("dan");
                try (TestDevice again = reconnect(device)) {
                    assertThat(again.next(ApprovalRequest.class).signInId()).isEqualTo(started.string("signInId"));
                }
            }
        }
    }

    @Nested
    class TheAnswer {
        @Test
        void withTheRightNumberApprovesAndHandsOutTheSessionOnce() {
            try (TestDevice device = enforcedUserWithDevice("erin")) {
                Api.Response started = fixture.flows().signIn("erin");
                ApprovalRequest request = device.next(ApprovalRequest.class);
                device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");

                Api.Response first = fixture.api().get("/api/v1/sign-ins/" + request.signInId());
                assertThat(first.string("state")).isEqualTo("approved");
                String token = first.string("sessionToken");
                assertThat(token).isNotBlank();
                assertThat(fixture.api().get("/api/v1/me/methods", token).status()).isEqualTo(200);

                Api.Response second = fixture.api().get("/api/v1/sign-ins/" + request.signInId());
                assertThat(second.string("state")).isEqualTo("approved");
                assertThat(second.json().containsKey("sessionToken")).isFalse();
            }
        }

        @Test
        void withAWrongNumberDeniesTheSignIn() {
            try (TestDevice device = enforcedUserWithDevice("frank")) {
                Api.Response started = fixture.flows().signIn("frank");
                ApprovalRequest request = device.next(ApprovalRequest.class);
                String wrong = started.string("number").equals("42") ? "43" : "42";
                device.send(device.answer(request.signInId(), Decision.APPROVE, wrong));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("denied");

                Api.Response result = fixture.api().get("/api/v1/sign-ins/" + request.signInId());
                assertThat(result.string("state")).isEqualTo("denied");
                assertThat(result.string("reason")).isEqualTo("wrong_number");
                assertThat(result.json().containsKey("sessionToken")).isFalse();
                assertThat(fixture.service().sql("SELECT failed_mfa_attempts FROM users WHERE username = 'frank'")
                        .iterator().next().getInteger(0)).isEqualTo(1);
            }
        }

        @Test
        void denyAndFraudAreRecordedWithTheirReasons() {
            try (TestDevice device = enforcedUserWithDevice("grace")) {
                Api.Response first = fixture.flows().signIn("grace");
                device.send(device.answer(device.next(ApprovalRequest.class).signInId(), Decision.DENY, null));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("denied");
                assertThat(fixture.api().get("/api/v1/sign-ins/" + first.string("signInId")).string("reason"))
                        .isEqualTo("user_denied");

                Api.Response second = fixture.flows().signIn("grace");
                device.send(device.answer(device.next(ApprovalRequest.class).signInId(), Decision.FRAUD, null));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("denied");
                assertThat(fixture.api().get("/api/v1/sign-ins/" + second.string("signInId")).string("reason"))
                        .isEqualTo("fraud_reported");
            }
        }

        @Test
        void afterTheDecisionIsRefusedAsAlreadyDecided() {
            try (TestDevice device = enforcedUserWithDevice("heidi")) {
                Api.Response started = fixture.flows().signIn("heidi");
                ApprovalRequest request = device.next(ApprovalRequest.class);
                device.send(device.answer(request.signInId(), Decision.DENY, null));
                device.next(ApprovalResult.class);
                device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
                ChannelError error = device.next(ChannelError.class);
                assertThat(error.error()).isEqualTo("already_decided");
                assertThat(fixture.api().get("/api/v1/sign-ins/" + request.signInId()).string("state"))
                        .isEqualTo("denied");
            }
        }

        @Test
        void overHttpWorksWithoutALiveChannel() {
            try (TestDevice device = enforcedUserWithDevice("ivan")) {
                Api.Response started = fixture.flows().signIn("ivan");
                String id = started.string("signInId");
                Api.Response answered = fixture.api().post("/api/v1/sign-ins/" + id + "/response",
                        device.answer(id, Decision.APPROVE, started.string("number")).toJson());
                assertThat(answered.status()).as(answered.toString()).isEqualTo(200);
                assertThat(answered.string("state")).isEqualTo("approved");
            }
        }
    }

    @Nested
    class TheResult {
        @Test
        void longPollWakesAsSoonAsTheDeviceAnswers() throws Exception {
            try (TestDevice device = enforcedUserWithDevice("judy")) {
                Api.Response started = fixture.flows().signIn("judy");
                String id = started.string("signInId");
                CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(
                        () -> fixture.api().get("/api/v1/sign-ins/" + id + "?waitSeconds=30"));
                ApprovalRequest request = device.next(ApprovalRequest.class);
                Thread.sleep(200);
                assertThat(waiting).isNotDone();
                device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
                Api.Response result = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(result.string("state")).isEqualTo("approved");
                assertThat(result.string("sessionToken")).isNotBlank();
            }
        }

        @Test
        void expiresAfterNinetySeconds() {
            try (TestDevice device = enforcedUserWithDevice("ken")) {
                Api.Response started = fixture.flows().signIn("ken");
                ApprovalRequest request = device.next(ApprovalRequest.class);
                fixture.clock().advance(Duration.ofSeconds(91));
                assertThat(fixture.api().get("/api/v1/sign-ins/" + request.signInId()).string("state"))
                        .isEqualTo("expired");
                Api.Response late = fixture.api().post("/api/v1/sign-ins/" + request.signInId() + "/response",
                        device.answer(request.signInId(), Decision.APPROVE, started.string("number")).toJson());
                assertThat(late.status()).isEqualTo(409);
                assertThat(late.error()).isEqualTo("already_decided");
            }
        }
    }

    private static TestDevice reconnect(TestDevice device) {
        return device.reconnected().connect();
    }

    @SuppressWarnings("unused")
    private static JsonObject body(String username) {
        return new JsonObject().put("username", username);
    }
}
