package org.countersign.push.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.AbuseCalls;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An approval yields a session only if, when it is consumed, the user is not locked out, the approving device is
 * not removed and the sign-in was not superseded (ARCHITECTURE.md §3.4): a request started before any of these
 * changed must not open the account after it.
 */
class ConsumeTimeChecksTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation();
    static final AbuseCalls calls = new AbuseCalls(fixture::service);

    /** A fresh admin session: these tests move the clock past a session's lifetime. */
    static String admin() {
        return fixture.flows().adminToken();
    }

    private static Api.Response post(String signInId, ApprovalResponse response) {
        return fixture.api().post("/api/v1/sign-ins/" + signInId + "/response", response.toJson());
    }

    private static void assertNoSession(String signInId, String state, String reason) {
        Api.Response read = fixture.api().get("/api/v1/sign-ins/" + signInId);
        assertThat(read.string("state")).as(read.toString()).isEqualTo(state);
        assertThat(read.string("reason")).isEqualTo(reason);
        assertThat(read.json().containsKey("sessionToken")).isFalse();
    }

    @Nested
    class AfterALockout {
        @Test
        void anApprovalAnsweredAfterwardsYieldsNoSession() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(admin(), "lena")) {
                calls.guess("lena", "192.0.2.10", 19);
                fixture.clock().advance(Duration.ofMinutes(15));
                Api.Response started = fixture.flows().signIn("lena");
                String id = started.string("signInId");
                device.next(ApprovalRequest.class);
                assertThat(calls.wrongPassword("lena", "192.0.2.10").status()).as("the 20th failure").isEqualTo(401);

                Api.Response answer = post(id, device.answer(id, Decision.APPROVE, started.string("number")));

                assertThat(answer.status()).as(answer.toString()).isEqualTo(409);
                assertNoSession(id, "denied", "locked_out");
            }
        }

        @Test
        void anApprovalGivenBeforeButCollectedAfterwardsYieldsNoSession() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(admin(), "lars")) {
                Api.Response started = fixture.flows().signIn("lars");
                String id = started.string("signInId");
                device.next(ApprovalRequest.class);
                assertThat(post(id, device.answer(id, Decision.APPROVE, started.string("number"))).string("state"))
                        .isEqualTo("approved");

                calls.guess("lars", "192.0.2.11", 20);

                assertNoSession(id, "denied", "locked_out");
            }
        }
    }

    @Nested
    class AfterADeviceRemoval {
        @Test
        void anApprovalAnsweredAfterwardsYieldsNoSession() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(admin(), "dora")) {
                Api.Response started = fixture.flows().signIn("dora");
                String id = started.string("signInId");
                device.next(ApprovalRequest.class);
                assertThat(fixture.api().delete("/api/v1/admin/devices/" + device.deviceId(), admin()).status())
                        .isEqualTo(200);

                Api.Response answer = post(id, device.answer(id, Decision.APPROVE, started.string("number")));

                assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
                assertNoSession(id, "denied", "device_removed");
            }
        }

        @Test
        void anApprovalGivenBeforeButCollectedAfterwardsYieldsNoSession() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(admin(), "dirk")) {
                Api.Response started = fixture.flows().signIn("dirk");
                String id = started.string("signInId");
                device.next(ApprovalRequest.class);
                assertThat(post(id, device.answer(id, Decision.APPROVE, started.string("number"))).string("state"))
                        .isEqualTo("approved");
                assertThat(fixture.api().delete("/api/v1/admin/devices/" + device.deviceId(), admin()).status())
                        .isEqualTo(200);

                assertNoSession(id, "denied", "device_removed");
            }
        }
    }

    @Nested
    class AfterASupersession {
        @Test
        void anApprovalOfTheOlderSignInYieldsNoSession() {
            try (TestDevice device = fixture.flows().enforcedUserWithDevice(admin(), "sami")) {
                Api.Response older = fixture.flows().signIn("sami");
                String olderId = older.string("signInId");
                device.next(ApprovalRequest.class);
                Api.Response newer = fixture.flows().signIn("sami");

                Api.Response answer = post(olderId, device.answer(olderId, Decision.APPROVE, older.string("number")));

                assertThat(answer.status()).as(answer.toString()).isEqualTo(409);
                assertThat(answer.error()).isEqualTo("already_decided");
                assertNoSession(olderId, "expired", "superseded");
                assertThat(fixture.api().get("/api/v1/sign-ins/" + newer.string("signInId")).string("state"))
                        .isEqualTo("pending");
            }
        }
    }
}
