package org.countersign.push.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.AbuseCalls;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * An approval yields a session only if, when it is consumed, the user is not locked out, the approving device is
 * not removed and the sign-in was not superseded (ARCHITECTURE.md §3.4): a request started before any of these
 * changed must not open the account after it.
 */
class ConsumeTimeChecksTest {
    static TestService service;
    static Api api;
    static AbuseCalls calls;

    @BeforeAll
    static void start() {
        service = TestService.start();
        api = service.api;
        calls = new AbuseCalls(service);
    }

    /** A fresh admin session: these tests move the clock past a session's lifetime. */
    static String admin() {
        return service.flows().adminToken();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static Api.Response post(String signInId, ApprovalResponse response) {
        return api.post("/api/v1/sign-ins/" + signInId + "/response", response.toJson());
    }

    private static void assertNoSession(String signInId, String state, String reason) {
        Api.Response read = api.get("/api/v1/sign-ins/" + signInId);
        assertThat(read.string("state")).as(read.toString()).isEqualTo(state);
        assertThat(read.string("reason")).isEqualTo(reason);
        assertThat(read.json().containsKey("sessionToken")).isFalse();
    }

    @Nested
    class AfterALockout {
        @Test
        void anApprovalAnsweredAfterwardsYieldsNoSession() {
            try (TestDevice device = service.flows().enforcedUserWithDevice(admin(), "lena")) {
                calls.guess("lena", "192.0.2.10", 19);
                service.clock.advance(Duration.ofMinutes(15));
                Api.Response started = service.flows().signIn("lena");
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
            try (TestDevice device = service.flows().enforcedUserWithDevice(admin(), "lars")) {
                Api.Response started = service.flows().signIn("lars");
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
            try (TestDevice device = service.flows().enforcedUserWithDevice(admin(), "dora")) {
                Api.Response started = service.flows().signIn("dora");
                String id = started.string("signInId");
                device.next(ApprovalRequest.class);
                assertThat(api.delete("/api/v1/admin/devices/" + device.deviceId(), admin()).status()).isEqualTo(200);

                Api.Response answer = post(id, device.answer(id, Decision.APPROVE, started.string("number")));

                assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
                assertNoSession(id, "denied", "device_removed");
            }
        }

        @Test
        void anApprovalGivenBeforeButCollectedAfterwardsYieldsNoSession() {
            try (TestDevice device = service.flows().enforcedUserWithDevice(admin(), "dirk")) {
                Api.Response started = service.flows().signIn("dirk");
                String id = started.string("signInId");
                device.next(ApprovalRequest.class);
                assertThat(post(id, device.answer(id, Decision.APPROVE, started.string("number"))).string("state"))
                        .isEqualTo("approved");
                assertThat(api.delete("/api/v1/admin/devices/" + device.deviceId(), admin()).status()).isEqualTo(200);

                assertNoSession(id, "denied", "device_removed");
            }
        }
    }

    @Nested
    class AfterASupersession {
        @Test
        void anApprovalOfTheOlderSignInYieldsNoSession() {
            try (TestDevice device = service.flows().enforcedUserWithDevice(admin(), "sami")) {
                Api.Response older = service.flows().signIn("sami");
                String olderId = older.string("signInId");
                device.next(ApprovalRequest.class);
                Api.Response newer = service.flows().signIn("sami");

                Api.Response answer = post(olderId, device.answer(olderId, Decision.APPROVE, older.string("number")));

                assertThat(answer.status()).as(answer.toString()).isEqualTo(409);
                assertThat(answer.error()).isEqualTo("already_decided");
                assertNoSession(olderId, "expired", "superseded");
                assertThat(api.get("/api/v1/sign-ins/" + newer.string("signInId")).string("state"))
                        .isEqualTo("pending");
            }
        }
    }
}
