package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;

/**
 * A sign-in that a Conditional Access policy blocks is recorded once its transaction has ended, never while that
 * transaction still holds its database connection: on a pool of one connection the block is answered and recorded
 * (asking the pool for a second connection there waited for the pool's 3 s timeout, and the audit event was lost).
 */
class BlockedSignInOnOneConnectionTest {

    @Test
    void aBlockedSignInIsRefusedAndRecordedOnAPoolOfOneConnection() {
        try (TestService service = TestService.withPoolSize(1)) {
            String admin = service.flows().adminToken();
            AdminCalls calls = new AdminCalls(() -> service.api);
            service.flows().createUser(admin, "solo-ann", "enforced");
            calls.policy(AdminCalls.policyBody("No contractors", "enabled", "block", "solo-ann"), admin);

            Api.Response blocked = calls.signIn("solo-ann", "198.51.100.4");
            assertThat(blocked.status()).as(blocked.toString()).isEqualTo(403);
            assertThat(blocked.error()).isEqualTo("blocked_by_policy");
            assertThat(service.count("audit_events WHERE type = 'sign_in' AND target = 'solo-ann' "
                    + "AND outcome = 'blocked_by_policy' AND detail->>'policy' = 'No contractors'")).isEqualTo(1);
            assertThat(service.count("sign_ins WHERE user_id = (SELECT id FROM users WHERE username = 'solo-ann')"))
                    .as("the transaction that found the block rolled back").isZero();
        }
    }
}
