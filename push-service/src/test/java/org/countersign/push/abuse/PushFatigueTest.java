package org.countersign.push.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.AbuseCalls;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Push fatigue (MFA bombing) is bounded: one pending push per user, at most {@code pushLimitPer10Minutes} pushes in
 * a rolling 10 minutes, and none after a fraud report until an admin clears it. Over a limit the sign-in is still
 * created for a TOTP code, and the answer says why nothing was pushed.
 */
class PushFatigueTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static final AbuseCalls calls = new AbuseCalls(fixture::service);

    private static Api.Response totp(TestDevice device, String signInId) {
        return fixture.api().post("/api/v1/sign-ins/" + signInId + "/totp", new JsonObject()
                .put("code", Totp.DEFAULT.codeAt(device.activation().totpSecret(), fixture.clock().instant())));
    }

    @Nested
    class OnePendingPushPerUser {
        @Test
        void aNewSignInSupersedesTheOlderOneWhosePageAndDevicesAreTold() throws Exception {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "bea")) {
                String older = fixture.flows().signIn("bea").string("signInId");
                assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(older);
                CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(
                        () -> fixture.api().get("/api/v1/sign-ins/" + older + "?waitSeconds=30"));

                String newer = fixture.flows().signIn("bea").string("signInId");

                Api.Response learned = waiting.get(40, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(learned.string("state")).as(learned.toString()).isEqualTo("expired");
                assertThat(learned.string("reason")).isEqualTo("superseded");
                ApprovalResult told = device.next(ApprovalResult.class);
                assertThat(told.signInId()).isEqualTo(older);
                assertThat(told.state()).isEqualTo("expired");
                assertThat(told.reason()).isEqualTo("superseded");
                assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(newer);
                assertThat(fixture.service().count("sign_ins s JOIN users u ON u.id = s.user_id "
                        + "WHERE u.username = 'bea' AND s.state = 'pending'")).isEqualTo(1);
                assertThat(calls.audited("sign_in.superseded", "bea")).isEqualTo(1);
            }
        }
    }

    @Nested
    class ThePushLimit {
        @Test
        void overItTheSignInIsCreatedForACodeButNothingIsPushed() {
            calls.setSettings(new JsonObject().put("pushLimitPer10Minutes", 3), fixture.admin());
            try (TestDevice first = fixture.flows().enforcedUserWithDevice(fixture.admin(), "cody")) {
                TestDevice device = first;
                for (int i = 0; i < 3; i++) {
                    Api.Response pushed = fixture.flows().signIn("cody");
                    assertThat(pushed.json().containsKey("pushSuppressed")).isFalse();
                    assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(pushed.string("signInId"));
                }

                Api.Response over = fixture.flows().signIn("cody");

                assertThat(over.string("state")).isEqualTo("pending");
                assertThat(over.string("pushSuppressed")).isEqualTo("push_limit");
                assertThat(over.json().getJsonArray("methods").getList()).containsExactly("totp");
                assertThat(calls.audited("sign_in.push_suppressed", "cody")).isEqualTo(1);

                device.close();
                device = first.reconnected().connect(); // a channel login re-sends pending requests, not this one

                fixture.clock().advance(Duration.ofMinutes(10).plusSeconds(1));
                Api.Response later = fixture.flows().signIn("cody");
                assertThat(later.json().containsKey("pushSuppressed")).as("the window rolled on").isFalse();
                // frames come in order: the push for "over" would arrive before the next request
                assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(later.string("signInId"));
                assertThat(totp(device, later.string("signInId")).string("state")).isEqualTo("approved");
                device.close();
            } finally {
                calls.setSettings(new JsonObject().put("pushLimitPer10Minutes", 10), fixture.admin());
            }
        }

        @Test
        void theSuppressedSignInStillTakesACode() {
            calls.setSettings(new JsonObject().put("pushLimitPer10Minutes", 1), fixture.admin());
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "cleo")) {
                fixture.flows().signIn("cleo");
                Api.Response over = fixture.flows().signIn("cleo");
                assertThat(over.string("pushSuppressed")).isEqualTo("push_limit");

                Api.Response approved = totp(device, over.string("signInId"));

                assertThat(approved.string("state")).as(approved.toString()).isEqualTo("approved");
                assertThat(approved.string("sessionToken")).isNotNull();
            } finally {
                calls.setSettings(new JsonObject().put("pushLimitPer10Minutes", 10), fixture.admin());
            }
        }
    }

    @Nested
    class AFraudReport {
        @Test
        void suspendsPushesButNotCodesUntilAnAdminClearsIt() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "fay")) {
                String reported = fixture.flows().signIn("fay").string("signInId");
                device.send(device.answer(device.next(ApprovalRequest.class).signInId(), Decision.FRAUD, null));
                assertThat(device.next(ApprovalResult.class).reason()).isEqualTo("fraud_reported");

                Api.Response suspended = fixture.flows().signIn("fay");
                assertThat(suspended.string("pushSuppressed")).isEqualTo("fraud_reported");
                assertThat(suspended.json().getJsonArray("methods").getList()).containsExactly("totp");
                assertThat(totp(device, suspended.string("signInId")).string("state")).isEqualTo("approved");
                assertThat(calls.listed("fay", fixture.admin()).getBoolean("pushSuspended")).isTrue();
                assertThat(fixture.api().get("/api/v1/admin/users/fay", fixture.admin()).json()
                        .getBoolean("pushSuspended")).isTrue();
                assertThat(calls.audited("user.push_suspended", "fay")).isEqualTo(1);

                Api.Response cleared = calls.userAction("fay", "clear_push_suspension", fixture.admin());
                assertThat(cleared.status()).as(cleared.toString()).isEqualTo(200);
                assertThat(cleared.json().getBoolean("pushSuspensionCleared")).isTrue();
                assertThat(calls.audited("admin.user_action", "fay")).isEqualTo(1);
                assertThat(calls.listed("fay", fixture.admin()).getBoolean("pushSuspended")).isFalse();

                fixture.clock().advance(Duration.ofSeconds(30));
                Api.Response again = fixture.flows().signIn("fay");
                assertThat(again.json().containsKey("pushSuppressed")).isFalse();
                assertThat(device.next(ApprovalRequest.class).signInId()).as("nothing was pushed in between")
                        .isEqualTo(again.string("signInId"));
                assertThat(reported).isNotEqualTo(again.string("signInId"));
            }
        }
    }
}
