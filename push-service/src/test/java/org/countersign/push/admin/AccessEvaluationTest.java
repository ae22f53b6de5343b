package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The evaluation order at sign-in (block policy, per-user state, require-MFA policies by name, security defaults)
 * and the admin view that explains it, so that a user never shows "Disabled" while another rule prompts them.
 */
class AccessEvaluationTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static final AdminCalls calls = new AdminCalls(fixture::api);

    /** Policies of one test must not decide the sign-ins of the next. */
    @AfterEach
    void noPolicyEnabled() {
        fixture.service().sql("UPDATE conditional_access_policies SET state = 'disabled'");
    }

    private static String stateOf(Api.Response signIn) {
        assertThat(signIn.status()).as(signIn.toString()).isEqualTo(200);
        return signIn.string("state");
    }

    private static JsonObject effective(String username) {
        return calls.listed(username, fixture.admin()).getJsonObject("effectiveMfa");
    }

    private static JsonObject mfa(boolean required, String reason) {
        return new JsonObject().put("required", required).put("reason", reason);
    }

    @Nested
    class ABlockPolicy {
        @Test
        void beatsThePerUserStateAndNamesThePolicyAfterThePasswordCheck() {
            fixture.flows().createUser(fixture.admin(), "blk-ann", "enforced");
            calls.policy(AdminCalls.policyBody("No contractors", "enabled", "block", "blk-ann"), fixture.admin());

            Api.Response blocked = calls.signIn("blk-ann", "198.51.100.4");
            assertThat(blocked.status()).as(blocked.toString()).isEqualTo(403);
            assertThat(blocked.error()).isEqualTo("blocked_by_policy");
            assertThat(blocked.json().getString("message")).contains("'No contractors'");
            assertThat(fixture.service().count("audit_events WHERE type = 'sign_in' AND target = 'blk-ann' "
                    + "AND outcome = 'blocked_by_policy' AND detail->>'policy' = 'No contractors'")).isEqualTo(1);
            assertThat(fixture.service().count("sign_ins WHERE user_id = "
                    + "(SELECT id FROM users WHERE username = 'blk-ann')")).isZero();

            Api.Response wrongPassword = fixture.api().post("/api/v1/sign-ins", new JsonObject()
                    .put("username", "blk-ann").put("password", "not the password").put("app", "Payroll"));
            assertThat(wrongPassword.status()).isEqualTo(401);
            assertThat(wrongPassword.error()).isEqualTo("invalid_credentials");

            assertThat(effective("blk-ann")).isEqualTo(mfa(false, "policy:No contractors").put("blocked", true));
            assertThat(calls.user("blk-ann", fixture.admin()).getJsonArray("rules"))
                    .isEqualTo(new JsonArray().add("policy:No contractors").add("per_user"));
        }

        @Test
        void doesNotApplyFromATrustedNetworkNorWhenDisabled() {
            fixture.flows().createUser(fixture.admin(), "blk-bea", "disabled");
            String id = calls.policy(AdminCalls.policyBody("Office only", "enabled", "block", "blk-bea")
                    .put("trustedNetworks", new JsonArray().add("192.0.2.0/24").add("2001:db8:1::/48")),
                    fixture.admin());

            assertThat(stateOf(calls.signIn("blk-bea", "192.0.2.77"))).isEqualTo("approved");
            assertThat(stateOf(calls.signIn("blk-bea", "2001:db8:1::9"))).isEqualTo("approved");
            assertThat(calls.signIn("blk-bea", "192.0.3.1").status()).isEqualTo(403);
            assertThat(calls.signIn("blk-bea", "2001:db8:2::9").status()).isEqualTo(403);
            assertThat(calls.signIn("blk-bea", null).status()).as("no address is never trusted").isEqualTo(403);

            fixture.api().patch("/api/v1/admin/policies/" + id, new JsonObject().put("state", "disabled"),
                    fixture.admin());
            assertThat(stateOf(calls.signIn("blk-bea", "192.0.3.1"))).isEqualTo("approved");
        }
    }

    @Nested
    class ARequireMfaPolicy {
        @Test
        void promptsTheUsersItIncludesWithItsNameAsTheReason() {
            fixture.flows().createUser(fixture.admin(), "req-cal", "disabled");
            assertThat(effective("req-cal")).isEqualTo(mfa(false, "none"));
            calls.policy(AdminCalls.policyBody("Payroll MFA", "enabled", "require_mfa", "req-cal"), fixture.admin());

            assertThat(effective("req-cal")).isEqualTo(mfa(true, "policy:Payroll MFA"));
            JsonObject detail = calls.user("req-cal", fixture.admin());
            assertThat(detail.getString("mfaState")).isEqualTo("disabled");
            assertThat(detail.getJsonArray("rules")).isEqualTo(new JsonArray().add("policy:Payroll MFA"));
            Api.Response signIn = calls.signIn("req-cal", "198.51.100.4");
            assertThat(stateOf(signIn)).isEqualTo("registration_required");
            assertThat(signIn.json().getBoolean("skippable")).isFalse();
            assertThat(fixture.service().count("audit_events WHERE type = 'sign_in' AND target = 'req-cal' "
                    + "AND outcome = 'registration_required' AND detail->>'reason' = 'policy:Payroll MFA'"))
                    .isEqualTo(1);
        }

        @Test
        void isExemptedByATrustedNetworkOfEitherFamily() {
            fixture.flows().createUser(fixture.admin(), "req-dan", "disabled");
            calls.policy(AdminCalls.policyBody("Outside the office", "enabled", "require_mfa", "*")
                    .put("trustedNetworks", new JsonArray().add("203.0.113.0/24").add("2001:db8::/32")),
                    fixture.admin());

            assertThat(stateOf(calls.signIn("req-dan", "203.0.113.200"))).isEqualTo("approved");
            assertThat(stateOf(calls.signIn("req-dan", "2001:db8::5"))).isEqualTo("approved");
            assertThat(stateOf(calls.signIn("req-dan", "::ffff:203.0.113.9"))).isEqualTo("approved");
            assertThat(stateOf(calls.signIn("req-dan", "198.51.100.1"))).isEqualTo("registration_required");
            assertThat(stateOf(calls.signIn("req-dan", "2001:db9::5"))).isEqualTo("registration_required");
            assertThat(stateOf(calls.signIn("req-dan", null))).isEqualTo("registration_required");
            assertThat(effective("req-dan")).as("the admin view assumes an unknown network")
                    .isEqualTo(mfa(true, "policy:Outside the office"));
        }

        @Test
        void doesNotPromptAnExcludedBreakGlassAdminButIncludesOtherAdminsByRole() {
            fixture.api().post("/api/v1/admin/users", new JsonObject().put("username", "glass").put("role", "admin")
                    .put("password", TestService.PASSWORD), fixture.admin());
            fixture.api().post("/api/v1/admin/users", new JsonObject().put("username", "ops").put("role", "admin")
                    .put("password", TestService.PASSWORD), fixture.admin());
            fixture.flows().createUser(fixture.admin(), "role-eve", "disabled");
            calls.policy(AdminCalls.policyBody("Admins MFA", "enabled", "require_mfa")
                    .put("includeRoles", new JsonArray().add("admin"))
                    .put("excludeUsers", new JsonArray().add("GLASS")), fixture.admin());

            assertThat(stateOf(calls.signIn("glass", "198.51.100.1"))).isEqualTo("approved");
            assertThat(stateOf(calls.signIn("ops", "198.51.100.1"))).isEqualTo("registration_required");
            assertThat(stateOf(calls.signIn("role-eve", "198.51.100.1"))).isEqualTo("approved");
            assertThat(effective("glass")).isEqualTo(mfa(false, "none"));
            assertThat(calls.user("glass", fixture.admin()).getJsonArray("rules")).isEmpty();
            assertThat(effective("ops")).isEqualTo(mfa(true, "policy:Admins MFA"));
            assertThat(effective("role-eve")).isEqualTo(mfa(false, "none"));
        }

        @Test
        void givesWayToThePerUserStateAndTheFirstByNameIsTheReason() {
            fixture.flows().createUser(fixture.admin(), "ord-fay", "enforced");
            fixture.flows().createUser(fixture.admin(), "ord-gus", "disabled");
            calls.policy(AdminCalls.policyBody("b second", "enabled", "require_mfa", "ord-fay", "ord-gus"),
                    fixture.admin());
            calls.policy(AdminCalls.policyBody("A first", "enabled", "require_mfa", "ord-fay", "ord-gus"),
                    fixture.admin());

            assertThat(effective("ord-fay")).isEqualTo(mfa(true, "per_user"));
            assertThat(calls.user("ord-fay", fixture.admin()).getJsonArray("rules"))
                    .isEqualTo(new JsonArray().add("per_user").add("policy:A first").add("policy:b second"));
            assertThat(effective("ord-gus")).isEqualTo(mfa(true, "policy:A first"));
        }
    }

    @Nested
    class TheSignInAddress {
        @Test
        void mustBeAnIpAddressWhenPresentEvenBeforeThePasswordIsChecked() {
            fixture.flows().createUser(fixture.admin(), "ip-hal", "disabled");
            for (String bad : List.of("localhost", "203.0.113", "203.0.113.256", "203.0.113.07", "1.2.3.4/24",
                    "2001:db8::g", "::ffff:1.2.3", "fe80::1%eth0", " 203.0.113.7")) {
                Api.Response refused = calls.signIn("ip-hal", bad);
                assertThat(refused.status()).as(bad + " → " + refused).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
                assertThat(refused.json().getString("message")).startsWith("ip");
            }
            Api.Response wrongPassword = fixture.api().post("/api/v1/sign-ins", new JsonObject()
                    .put("username", "ip-hal").put("password", "wrong password").put("app", "x").put("ip", "nonsense"));
            assertThat(wrongPassword.status()).isEqualTo(400);
            assertThat(stateOf(calls.signIn("ip-hal", "2001:DB8::1"))).isEqualTo("approved");
        }
    }

    @Nested
    class CompletingRegistration {
        @Test
        void turnsAnEnabledUserIntoAnEnforcedOneAndIsAudited() {
            fixture.flows().createUser(fixture.admin(), "reg-ida", "enabled");
            try (TestDevice device = fixture.flows().registerDevice("reg-ida")) {
                assertThat(calls.listed("reg-ida", fixture.admin()).getString("mfaState")).isEqualTo("enforced");
                assertThat(fixture.service().count("audit_events WHERE type = 'mfa_state.changed' AND actor = 'system' "
                        + "AND target = 'reg-ida' AND detail->>'mfaState' = 'enforced'")).isEqualTo(1);
                assertThat(stateOf(calls.signIn("reg-ida", "198.51.100.1"))).isEqualTo("pending");
            }
        }

        @Test
        void leavesAnEnforcedOrDisabledUserAsTheyAre() {
            fixture.flows().createUser(fixture.admin(), "reg-jo", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("reg-jo")) {
                assertThat(calls.listed("reg-jo", fixture.admin()).getString("mfaState")).isEqualTo("enforced");
                assertThat(fixture.service().count("audit_events WHERE type = 'mfa_state.changed' "
                        + "AND target = 'reg-jo'")).isZero();
            }
        }
    }
}
