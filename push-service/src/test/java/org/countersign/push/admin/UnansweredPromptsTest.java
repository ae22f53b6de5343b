package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.enroll.EnrollmentService;
import org.countersign.push.signin.SignInService;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An MFA prompt nobody answers ends as {@code expired} and is recorded once as {@code sign_in.mfa} / {@code expired}:
 * by the sweep when nobody asks about it, or by whoever reads it first, never twice. The clock is moved and the sweep
 * run by the test (the service's own timer may sweep too: the count must be one either way).
 */
class UnansweredPromptsTest {
    private static final Duration PAST_EXPIRY = SignInService.CHALLENGE_LIFETIME.plusSeconds(1);

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();

    /** Starts a sign-in the device is asked about (and reads the prompt off its channel); answers its id. */
    private static String unansweredPrompt(String username, TestDevice device) {
        Api.Response started = fixture.flows().signIn(username);
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(started.string("signInId"));
        return started.string("signInId");
    }

    private static long expiredEvents(String signInId) {
        return fixture.service().count("audit_events WHERE type = 'sign_in.mfa' AND outcome = 'expired' "
                + "AND detail->>'signInId' = '" + signInId + "'");
    }

    private static String state(String signInId) {
        return fixture.service().sql("SELECT state FROM sign_ins WHERE id = '" + signInId + "'").iterator().next()
                .getString("state");
    }

    private static void sweep() {
        TestService.await(fixture.service().server.signInExpiry().sweepAll());
    }

    @Test
    void aPromptNobodyAsksAboutIsExpiredByTheSweepAndRecordedOnce() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "ex-ann")) {
            String id = unansweredPrompt("ex-ann", device);
            fixture.clock().advance(PAST_EXPIRY);
            sweep();

            assertThat(state(id)).isEqualTo("expired");
            assertThat(expiredEvents(id)).isEqualTo(1);
            Row event = fixture.service().sql("SELECT actor, target, detail->>'reason' AS reason FROM audit_events "
                    + "WHERE type = 'sign_in.mfa' AND detail->>'signInId' = '" + id + "'").iterator().next();
            assertThat(event.getString("actor")).isEqualTo("ex-ann");
            assertThat(event.getString("target")).isEqualTo("ex-ann");
            assertThat(event.getString("reason")).isEqualTo("no_answer");

            // reading it afterwards, or sweeping again, records nothing more
            Api.Response read = fixture.api().get("/api/v1/sign-ins/" + id);
            assertThat(read.string("state")).isEqualTo("expired");
            assertThat(read.json().containsKey("sessionToken")).isFalse();
            sweep();
            assertThat(expiredEvents(id)).isEqualTo(1);
        }
    }

    @Test
    void aPromptReadAfterItsTimeIsRecordedOnceByTheReaderAndTheSweepAddsNothing() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "ex-bea")) {
            String id = unansweredPrompt("ex-bea", device);
            fixture.clock().advance(PAST_EXPIRY);
            assertThat(fixture.api().get("/api/v1/sign-ins/" + id).string("state")).isEqualTo("expired");
            assertThat(fixture.api().get("/api/v1/sign-ins/" + id).string("state")).isEqualTo("expired");
            sweep();
            assertThat(state(id)).isEqualTo("expired");
            assertThat(expiredEvents(id)).isEqualTo(1);
        }
    }

    @Test
    void sweepsAndReadersRacingRecordItExactlyOnce() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "ex-cy")) {
            String id = unansweredPrompt("ex-cy", device);
            fixture.clock().advance(PAST_EXPIRY);
            var expiry = fixture.service().server.signInExpiry();
            TestService.await(Future.all(expiry.sweepAll(), expiry.sweepAll(), expiry.sweepAll()));
            fixture.api().get("/api/v1/sign-ins/" + id);
            assertThat(expiredEvents(id)).isEqualTo(1);
        }
    }

    @Test
    void aPromptStillInItsTimeIsLeftPendingAndCanBeApproved() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "ex-dan")) {
            Api.Response started = fixture.flows().signIn("ex-dan");
            ApprovalRequest request = device.next(ApprovalRequest.class);
            fixture.clock().advance(SignInService.CHALLENGE_LIFETIME.minusSeconds(10));
            sweep();
            assertThat(state(request.signInId())).isEqualTo("pending");
            assertThat(expiredEvents(request.signInId())).isZero();

            device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
            assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
            fixture.clock().advance(Duration.ofMinutes(5));
            sweep();
            assertThat(state(request.signInId())).isEqualTo("approved");
            assertThat(expiredEvents(request.signInId())).isZero();
        }
    }

    @Test
    void anUnansweredTestPushOfARegistrationIsRecordedAsAnExpiredRegistrationTest() {
        fixture.flows().createUser(fixture.admin(), "ex-eve", "enforced");
        String token = fixture.flows().signIn("ex-eve").string("sessionToken");
        Api.Response enrollment = fixture.api().post("/api/v1/enrollments", new JsonObject(), token);
        String code = EnrollmentUri.parse(enrollment.string("uri")).code();
        try (TestDevice device = TestDevice.activate(fixture.api(), code).connect()) {
            String testId = device.next(ApprovalRequest.class).signInId();
            fixture.clock().advance(EnrollmentService.TEST_LIFETIME.plusSeconds(1));
            sweep();
            assertThat(state(testId)).isEqualTo("expired");
            assertThat(fixture.service().count("audit_events WHERE type = 'registration.test' AND outcome = 'expired' "
                    + "AND actor = 'ex-eve' AND detail->>'signInId' = '" + testId + "'")).isEqualTo(1);
        }
    }
}
