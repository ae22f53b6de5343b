package org.countersign.push.rp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A relying party's check is a sign-in challenge, so the rules against abuse hold for it too: a locked-out person
 * gets no push, a newer check supersedes an older one, and the push limit counts pushes only (a TOTP check is never
 * pushed and never counts against it).
 */
class ChecksFollowSignInRulesTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static final RpCalls rp = new RpCalls(fixture::api);
    static RpCalls.Client client;

    @BeforeAll
    static void aClient() {
        client = rp.createClient(fixture.admin(), "Rules app", 1000);
    }

    @Test
    void aLockedOutPersonGetsNoPushFromARelyingParty() throws Exception {
        TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rules-locked");
        fixture.service().sql("INSERT INTO attempt_throttles (kind, subject, consecutive_failures, last_failure_at, "
                + "locked_out_at) VALUES ('user', 'rules-locked', 20, '2026-11-23T08:59:00Z', '2026-11-23T08:59:00Z')");

        RpCalls.Response refused = rp.check(client, RpCalls.push("rules-locked"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(423);
        assertThat(refused.error()).isEqualTo("locked_out");
        assertThat(device.quietFor(Duration.ofMillis(300))).as("no request reaches the device").isTrue();
    }

    @Test
    void aNewerCheckSupersedesTheOlderAndTheLimitCountsPushesOnly() throws Exception {
        TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rules-fatigue");
        fixture.service().sql("UPDATE settings SET push_limit_per_10_minutes = 2");
        try {
            // TOTP checks are decided at once and never pushed: they leave the limit of two pushes untouched
            for (int step = 0; step < 3; step++) {
                fixture.clock().advance(Duration.ofSeconds(30));
                String code = Totp.DEFAULT.codeAt(device.activation().totpSecret(), fixture.clock().instant());
                RpCalls.Response totp = rp.check(client, RpCalls.totp("rules-fatigue", code));
                assertThat(totp.string("state")).as(totp.toString()).isEqualTo("approved");
                assertThat(totp.json().containsKey("pushSuppressed")).isFalse();
            }
            assertThat(device.quietFor(Duration.ofMillis(300))).as("a TOTP check is not pushed").isTrue();

            RpCalls.Response first = rp.check(client, RpCalls.push("rules-fatigue"));
            assertThat(first.json().containsKey("pushSuppressed")).as(first.toString()).isFalse();
            assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(first.string("checkId"));

            RpCalls.Response second = rp.check(client, RpCalls.push("rules-fatigue"));
            assertThat(second.json().containsKey("pushSuppressed")).as(second.toString()).isFalse();
            ApprovalResult ended = device.next(ApprovalResult.class);
            assertThat(ended.signInId()).isEqualTo(first.string("checkId"));
            assertThat(ended.state()).isEqualTo("expired");
            assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(second.string("checkId"));
            RpCalls.Response firstNow = rp.read(client, first.string("checkId"), 0);
            assertThat(firstNow.string("state")).isEqualTo("expired");
            assertThat(firstNow.string("reason")).isEqualTo("superseded");

            RpCalls.Response third = rp.check(client, RpCalls.push("rules-fatigue"));
            assertThat(third.status()).isEqualTo(201);
            assertThat(third.string("pushSuppressed")).as("the third push in ten minutes").isEqualTo("push_limit");
            assertThat(device.next(ApprovalResult.class).signInId()).isEqualTo(second.string("checkId"));
            assertThat(device.quietFor(Duration.ofMillis(300))).as("no request for the third check").isTrue();
        } finally {
            fixture.service().sql("UPDATE settings SET push_limit_per_10_minutes = 10");
        }
    }
}
