package org.countersign.push.rp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A relying party asks for the second factor only: push checks answered on the device as any sign-in, TOTP checks
 * decided at once, results readable only by the client that started them and never carrying a session.
 */
class SecondFactorChecksTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static final RpCalls rp = new RpCalls(fixture::api);
    static RpCalls.Client payroll;

    @BeforeAll
    static void thePayrollClient() {
        payroll = rp.createClient(fixture.admin(), "Payroll", 1000);
    }

    private static String code(TestDevice device, Instant at) {
        return Totp.DEFAULT.codeAt(device.activation().totpSecret(), at);
    }

    @Nested
    class Push {
        @Test
        void theDeviceSeesTheAppContextAndItsApprovalIsTheCheckResultWithoutASession() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-ann");
            long sessions = fixture.service().count("sessions");

            RpCalls.Response started = rp.check(payroll, RpCalls.push("rp-ann"));
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            assertThat(started.string("state")).isEqualTo("pending");
            assertThat(started.string("number")).matches("[0-9]{2,6}");
            assertThat(Instant.parse(started.string("expiresAt"))).isAfter(fixture.clock().instant());
            String checkId = started.string("checkId");

            ApprovalRequest request = device.next(ApprovalRequest.class);
            assertThat(request.signInId()).isEqualTo(checkId);
            assertThat(request.app()).isEqualTo("Payroll");
            assertThat(request.ip()).isEqualTo("203.0.113.7");
            assertThat(request.location()).isEqualTo("Lisbon, PT");
            assertThat(request.user()).isEqualTo("rp-ann");

            var waiting = rp.readLater(payroll, checkId, 30);
            device.send(device.answer(checkId, Decision.APPROVE, started.string("number")));
            assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");

            RpCalls.Response result = waiting.join();
            assertThat(result.status()).as(result.toString()).isEqualTo(200);
            assertThat(result.json().fieldNames()).containsExactlyInAnyOrder("checkId", "state");
            assertThat(result.string("state")).isEqualTo("approved");
            assertThat(result.string("checkId")).isEqualTo(checkId);
            assertThat(fixture.service().count("sessions")).isEqualTo(sessions);
            // the public sign-in endpoint does not hand out a session for a check either
            Api.Response asSignIn = fixture.api().get("/api/v1/sign-ins/" + checkId);
            assertThat(asSignIn.string("state")).isEqualTo("approved");
            assertThat(asSignIn.json().containsKey("sessionToken")).isFalse();
            assertThat(fixture.service().count("sessions")).isEqualTo(sessions);
        }

        @Test
        void theUsernameMatchesInAnyCaseAndTheDeviceSeesItAsRegistered() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-case");

            RpCalls.Response started = rp.check(payroll, RpCalls.push("RP-Case"));
            assertThat(started.status()).as(started.toString()).isEqualTo(201);
            ApprovalRequest request = device.next(ApprovalRequest.class);
            assertThat(request.signInId()).isEqualTo(started.string("checkId"));
            assertThat(request.user()).isEqualTo("rp-case");
        }

        @Test
        void aDenialOnTheDeviceDeniesTheCheck() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-bo");
            RpCalls.Response started = rp.check(payroll, RpCalls.push("rp-bo"));
            String checkId = started.string("checkId");
            device.next(ApprovalRequest.class);
            device.send(device.answer(checkId, Decision.DENY, null));
            assertThat(device.next(ApprovalResult.class).state()).isEqualTo("denied");

            RpCalls.Response result = rp.read(payroll, checkId, 0);
            assertThat(result.string("state")).isEqualTo("denied");
            assertThat(result.string("reason")).isEqualTo("user_denied");
        }

        @Test
        void aWrongNumberDeniesTheCheck() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-wn");
            RpCalls.Response started = rp.check(payroll, RpCalls.push("rp-wn"));
            String checkId = started.string("checkId");
            device.next(ApprovalRequest.class);
            String wrong = started.string("number").equals("10") ? "11" : "10";
            device.send(device.answer(checkId, Decision.APPROVE, wrong));
            device.next(ApprovalResult.class);
            RpCalls.Response result = rp.read(payroll, checkId, 0);
            assertThat(result.string("state")).isEqualTo("denied");
            assertThat(result.string("reason")).isEqualTo("wrong_number");
        }

        @Test
        void aPendingCheckReadWithoutWaitingIsPending() {
            fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-pe");
            String checkId = rp.check(payroll, RpCalls.push("rp-pe")).string("checkId");
            RpCalls.Response result = rp.read(payroll, checkId, 0);
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.string("state")).isEqualTo("pending");
            assertThat(result.json().containsKey("number")).isFalse();
        }

        @Test
        void theUsersMfaStateDoesNotMatterButAVerifiedDeviceDoes() {
            fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-off");
            Api.Response disabled = fixture.api().patch("/api/v1/admin/users/rp-off", new JsonObject()
                    .put("mfaState", "disabled"), fixture.admin());
            assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);
            assertThat(rp.check(payroll, RpCalls.push("rp-off")).status()).isEqualTo(201);

            fixture.flows().createUser(fixture.admin(), "rp-none", "disabled");
            String before = fixture.service().snapshot();
            RpCalls.Response none = rp.check(payroll, RpCalls.push("rp-none"));
            assertThat(none.status()).as(none.toString()).isEqualTo(409);
            assertThat(none.error()).isEqualTo("no_method");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }

        @Test
        void anUnknownUserIsNotFound() {
            String before = fixture.service().snapshot();
            RpCalls.Response unknown = rp.check(payroll, RpCalls.push("nobody-here"));
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.error()).isEqualTo("unknown_user");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }

        @Test
        void aConditionalAccessBlockRefusesTheCheck() {
            fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-blocked");
            Api.Response policy = fixture.api().post("/api/v1/admin/policies", new JsonObject()
                    .put("name", "Block rp-blocked").put("state", "enabled").put("grant", "block")
                    .put("includeUsers", new JsonArray().add("rp-blocked")), fixture.admin());
            assertThat(policy.status()).as(policy.toString()).isEqualTo(201);
            String before = fixture.service().snapshot();

            RpCalls.Response refused = rp.check(payroll, RpCalls.push("rp-blocked"));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.error()).isEqualTo("blocked_by_policy");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class Ownership {
        @Test
        void onlyTheClientThatStartedACheckCanReadIt() {
            fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-own");
            RpCalls.Client other = rp.createClient(fixture.admin(), "Other app", 100);
            String checkId = rp.check(payroll, RpCalls.push("rp-own")).string("checkId");

            RpCalls.Response foreign = rp.read(other, checkId, 0);
            assertThat(foreign.status()).isEqualTo(404);
            assertThat(foreign.error()).isEqualTo("not_found");
            assertThat(rp.read(payroll, checkId, 0).status()).isEqualTo(200);
        }

        @Test
        void anotherClientsLongPollIsRefusedAtOnceNotAfterItsWait() {
            fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-own-wait");
            RpCalls.Client other = rp.createClient(fixture.admin(), "Waiting app", 100);
            String checkId = rp.check(payroll, RpCalls.push("rp-own-wait")).string("checkId");

            long start = System.nanoTime();
            RpCalls.Response foreign = rp.read(other, checkId, 30);

            assertThat(foreign.status()).isEqualTo(404);
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .as("the ownership is checked by the first read, before any wait").isLessThan(
                            java.time.Duration.ofSeconds(20));
            assertThat(rp.read(payroll, checkId, 0).string("state")).isEqualTo("pending");
        }

        @Test
        void anOrdinarySignInIsNoClientsCheck() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-plain");
            Api.Response signIn = fixture.flows().signIn("rp-plain");
            device.next(ApprovalRequest.class);
            assertThat(rp.read(payroll, signIn.string("signInId"), 0).status()).isEqualTo(404);
        }

        @Test
        void theCheckIsAttributedToItsClientInTheDatabase() {
            fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-attr");
            String checkId = rp.check(payroll, RpCalls.push("rp-attr")).string("checkId");
            Row row = fixture.service().sql("SELECT c.name FROM sign_ins s JOIN rp_clients c ON c.id = s.rp_client_id "
                    + "WHERE s.id = '" + java.util.UUID.fromString(checkId) + "'").iterator().next();
            assertThat(row.getString("name")).isEqualTo("Payroll");
        }
    }

    @Nested
    class TotpCodes {
        @Test
        void theRightCodeApprovesAtOnceAndTheSameCodeAgainIsDenied() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-totp");
            String code = code(device, fixture.clock().instant());
            long sessions = fixture.service().count("sessions");

            RpCalls.Response approved = rp.check(payroll, RpCalls.totp("rp-totp", code));
            assertThat(approved.status()).as(approved.toString()).isEqualTo(200);
            assertThat(approved.string("state")).isEqualTo("approved");
            assertThat(approved.json().fieldNames()).containsExactlyInAnyOrder("checkId", "state");
            assertThat(fixture.rows().signIn(approved.string("checkId")).method()).isEqualTo("totp");

            RpCalls.Response replayed = rp.check(payroll, RpCalls.totp("rp-totp", code));
            assertThat(replayed.status()).isEqualTo(200);
            assertThat(replayed.string("state")).isEqualTo("denied");
            assertThat(replayed.string("reason")).isEqualTo("wrong_code");
            assertThat(rp.read(payroll, replayed.string("checkId"), 0).string("state")).isEqualTo("denied");
            assertThat(fixture.service().count("sessions")).isEqualTo(sessions);
        }

        @Test
        void aWrongCodeIsDeniedAndCountsAsAFailedAttempt() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-wrong");
            String right = code(device, fixture.clock().instant());
            String wrong = right.equals("000000") ? "000001" : "000000";
            int failures = fixture.rows().failedMfaAttempts("rp-wrong");

            RpCalls.Response denied = rp.check(payroll, RpCalls.totp("rp-wrong", wrong));
            assertThat(denied.string("state")).isEqualTo("denied");
            assertThat(denied.string("reason")).isEqualTo("wrong_code");
            assertThat(fixture.rows().failedMfaAttempts("rp-wrong")).isEqualTo(failures + 1);
        }

        @Test
        void aTotpCheckIsNotPushedToTheDevice() throws InterruptedException {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-quiet");
            rp.check(payroll, RpCalls.totp("rp-quiet", code(device, fixture.clock().instant())));
            assertThat(device.quietFor(Duration.ofMillis(300))).isTrue();
        }
    }

    @Nested
    class Audit {
        @Test
        void everyCheckIsRecordedWithTheClientNameAndNeitherNumberNorCode() {
            TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-audit");
            RpCalls.Client audited = rp.createClient(fixture.admin(), "Audited app", 100);
            RpCalls.Response push = rp.check(audited, RpCalls.push("rp-audit"));
            device.next(ApprovalRequest.class);
            fixture.clock().advance(Duration.ofSeconds(30));
            String code = code(device, fixture.clock().instant());
            rp.check(audited, RpCalls.totp("rp-audit", code));
            rp.check(audited, RpCalls.push("nobody-at-all"));

            List<String> outcomes = new ArrayList<>();
            for (Row row : fixture.service().sql("SELECT actor, target, outcome, detail::text AS detail "
                    + "FROM audit_events WHERE type = 'rp.check' AND detail->>'client' = 'Audited app' ORDER BY id")) {
                outcomes.add(row.getString("target") + ":" + row.getString("outcome"));
                assertThat(row.getString("actor")).isEqualTo("rp:Audited app");
                JsonObject detail = new JsonObject(row.getString("detail"));
                assertThat(detail.getString("client")).isEqualTo("Audited app");
                assertThat(detail.fieldNames()).isSubsetOf("client", "clientId", "factor", "app", "checkId");
                assertThat(detail.getMap().values()).doesNotContain(push.string("number"), code);
            }
            assertThat(outcomes).containsExactly("rp-audit:push_sent", "rp-audit:approved",
                    "nobody-at-all:unknown_user");
        }
    }
}
