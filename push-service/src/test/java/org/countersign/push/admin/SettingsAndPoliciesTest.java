package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Service settings and Conditional Access policies as admins manage them (ARCHITECTURE.md §4, §8). */
class SettingsAndPoliciesTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static final AdminCalls calls = new AdminCalls(fixture::api);

    @BeforeAll
    static void twoUsers() {
        fixture.flows().createUser(fixture.admin(), "pol-ann", "disabled");
        fixture.flows().createUser(fixture.admin(), "pol-bob", "disabled");
    }

    /** Every test leaves security defaults on and no policy enabled, as on a fresh installation. */
    @AfterEach
    void freshInstallationAgain() {
        fixture.service().sql("UPDATE conditional_access_policies SET state = 'disabled'");
        fixture.service().sql("UPDATE settings SET security_defaults = true");
    }

    private static long audited(String type) {
        return fixture.service().count("audit_events WHERE type = '" + type + "' AND actor = 'admin'");
    }

    @Nested
    class Settings {
        @Test
        void showTheDefaultsOfAFreshInstallation() {
            Api.Response settings = fixture.api().get("/api/v1/admin/settings", fixture.admin());
            assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
            JsonObject json = settings.json();
            assertThat(json.getBoolean("securityDefaults")).isTrue();
            assertThat(json.getBoolean("appPasswordsAllowed")).isFalse();
            assertThat(json.getInteger("rememberMfaDays")).isEqualTo(14);
            assertThat(json.getInteger("numberDigits")).isEqualTo(2);
            assertThat(json.getString("securityDefaultsSince")).isNotBlank();
        }

        @Test
        void acceptASubsetLeaveTheRestAndAreAudited() {
            long before = audited("admin.settings_changed");
            Api.Response changed = calls.settings(new JsonObject().put("rememberMfaDays", 0).put("numberDigits", 6),
                    fixture.admin());
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
            assertThat(changed.json().getInteger("rememberMfaDays")).isZero();
            assertThat(changed.json().getInteger("numberDigits")).isEqualTo(6);
            assertThat(changed.json().getBoolean("securityDefaults")).isTrue();
            assertThat(fixture.api().get("/api/v1/admin/settings", fixture.admin()).json()).isEqualTo(changed.json());
            assertThat(audited("admin.settings_changed")).isEqualTo(before + 1);
            calls.setSettings(new JsonObject().put("rememberMfaDays", 14).put("numberDigits", 2), fixture.admin());
        }

        @Test
        void refuseBadValuesNamingTheFieldAndChangeNothing() {
            String before = fixture.service().snapshot();
            Object[][] cases = {
                    {"rememberMfaDays", -1}, {"rememberMfaDays", 366}, {"rememberMfaDays", "7"},
                    {"rememberMfaDays", 7.5}, {"numberDigits", 1}, {"numberDigits", 7}, {"numberDigits", null},
                    {"securityDefaults", "yes"}, {"appPasswordsAllowed", 1}, {"rememberMfaDay", 3}};
            for (Object[] bad : cases) {
                JsonObject body = new JsonObject().put((String) bad[0], bad[1]);
                if (bad[1] == null) {
                    body = new JsonObject().put("numberDigits", new JsonArray());
                }
                Api.Response refused = calls.settings(body, fixture.admin());
                assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
                assertThat(refused.json().getString("message")).startsWith((String) bad[0]);
            }
            Api.Response nothing = calls.settings(new JsonObject(), fixture.admin());
            assertThat(nothing.status()).as("a change that names no setting").isEqualTo(400);
            assertThat(nothing.error()).isEqualTo("invalid_field");
            assertThat(nothing.json().getString("message")).contains("rememberMfaDays")
                    .endsWith("name at least one setting to change.");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class SecurityDefaultsAndPoliciesExcludeEachOther {
        @Test
        void enablingAPolicyWhileSecurityDefaultsAreOnIsAConflictNamingSecurityDefaults() {
            Api.Response created = calls.createPolicy(AdminCalls.policyBody("All users MFA", "enabled", "require_mfa",
                    "*"), fixture.admin());
            assertThat(created.status()).as(created.toString()).isEqualTo(409);
            assertThat(created.error()).isEqualTo("conflict");
            assertThat(created.json().getString("message")).containsIgnoringCase("security defaults");
            assertThat(fixture.service().count("conditional_access_policies WHERE name = 'All users MFA'")).isZero();

            String id = calls.policy(AdminCalls.policyBody("Admins MFA", "disabled", "require_mfa", "*"),
                    fixture.admin());
            Api.Response enabling = fixture.api().patch("/api/v1/admin/policies/" + id,
                    new JsonObject().put("state", "enabled"), fixture.admin());
            assertThat(enabling.status()).as(enabling.toString()).isEqualTo(409);
            assertThat(enabling.error()).isEqualTo("conflict");
            assertThat(enabling.json().getString("message")).containsIgnoringCase("security defaults");
            assertThat(fixture.api().get("/api/v1/admin/policies", fixture.admin()).array("policies").stream()
                    .map(JsonObject.class::cast).filter(p -> p.getString("id").equals(id)).findFirst().orElseThrow()
                    .getString("state")).isEqualTo("disabled");
        }

        @Test
        void switchingSecurityDefaultsOnWhileAPolicyIsEnabledIsAConflictNamingThePolicy() {
            calls.setSettings(new JsonObject().put("securityDefaults", false), fixture.admin());
            String id = calls.policy(AdminCalls.policyBody("Finance MFA", "enabled", "require_mfa", "pol-ann"),
                    fixture.admin());

            Api.Response refused = calls.settings(new JsonObject().put("securityDefaults", true), fixture.admin());
            assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
            assertThat(refused.error()).isEqualTo("conflict");
            assertThat(refused.json().getString("message")).contains("'Finance MFA'");
            assertThat(fixture.api().get("/api/v1/admin/settings", fixture.admin()).json()
                    .getBoolean("securityDefaults")).isFalse();

            assertThat(fixture.api().patch("/api/v1/admin/policies/" + id, new JsonObject().put("state", "disabled"),
                    fixture.admin()).status()).isEqualTo(200);
            Api.Response switched = calls.settings(new JsonObject().put("securityDefaults", true), fixture.admin());
            assertThat(switched.status()).as(switched.toString()).isEqualTo(200);
            assertThat(switched.json().getBoolean("securityDefaults")).isTrue();
        }
    }

    @Nested
    class Policies {
        @Test
        void areCreatedListedChangedAndDeletedWithEveryChangeAudited() {
            JsonObject body = AdminCalls.policyBody("Block contractors", "disabled", "block", "pol-ann")
                    .put("includeRoles", new JsonArray().add("user"))
                    .put("excludeUsers", new JsonArray().add("pol-bob"))
                    .put("trustedNetworks", new JsonArray().add("10.0.0.0/8").add("2001:db8::/32"));
            Api.Response created = calls.createPolicy(body, fixture.admin());
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            JsonObject policy = created.json();
            assertThat(policy.getString("id")).isNotBlank();
            assertThat(policy.getString("name")).isEqualTo("Block contractors");
            assertThat(policy.getString("state")).isEqualTo("disabled");
            assertThat(policy.getString("grant")).isEqualTo("block");
            assertThat(policy.getJsonArray("includeUsers")).isEqualTo(new JsonArray().add("pol-ann"));
            assertThat(policy.getJsonArray("includeRoles")).isEqualTo(new JsonArray().add("user"));
            assertThat(policy.getJsonArray("excludeUsers")).isEqualTo(new JsonArray().add("pol-bob"));
            assertThat(policy.getJsonArray("trustedNetworks"))
                    .isEqualTo(new JsonArray().add("10.0.0.0/8").add("2001:db8::/32"));
            String id = policy.getString("id");

            assertThat(fixture.api().get("/api/v1/admin/policies", fixture.admin()).array("policies")).contains(policy);

            Api.Response patched = fixture.api().patch("/api/v1/admin/policies/" + id, new JsonObject()
                    .put("name", "Block vendors").put("trustedNetworks", new JsonArray()), fixture.admin());
            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
            assertThat(patched.string("name")).isEqualTo("Block vendors");
            assertThat(patched.json().getJsonArray("trustedNetworks")).isEmpty();
            assertThat(patched.json().getJsonArray("excludeUsers")).isEqualTo(new JsonArray().add("pol-bob"));

            Api.Response deleted = fixture.api().delete("/api/v1/admin/policies/" + id, fixture.admin());
            assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
            assertThat(fixture.api().delete("/api/v1/admin/policies/" + id, fixture.admin()).status()).isEqualTo(404);

            for (String type : List.of("admin.policy_created", "admin.policy_updated", "admin.policy_deleted")) {
                assertThat(fixture.service().count("audit_events WHERE type = '" + type + "' AND actor = 'admin' "
                        + "AND detail->>'policyId' = '" + id + "'")).as(type).isEqualTo(1);
            }
        }

        @Test
        void haveUniqueNamesWhateverTheCase() {
            calls.policy(AdminCalls.policyBody("Unique name", "disabled", "require_mfa", "*"), fixture.admin());
            Api.Response duplicate = calls.createPolicy(AdminCalls.policyBody("UNIQUE NAME", "disabled",
                    "require_mfa", "*"), fixture.admin());
            assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
            assertThat(duplicate.error()).isEqualTo("policy_exists");
        }

        @Test
        void ofAnUnknownIdAreNotFound() {
            for (String id : List.of(UUID.randomUUID().toString(), "not-an-id")) {
                Api.Response patched = fixture.api().patch("/api/v1/admin/policies/" + id,
                        new JsonObject().put("state", "disabled"), fixture.admin());
                assertThat(patched.status()).as(patched.toString()).isEqualTo(404);
                assertThat(patched.error()).isEqualTo("not_found");
            }
        }

        @Test
        void withBadFieldsAreRefusedNamingTheFieldAndNothingIsStored() {
            long policies = fixture.service().count("conditional_access_policies");
            JsonObject good = AdminCalls.policyBody("Good", "disabled", "require_mfa", "*");
            Object[][] cases = {
                    {"name", "n".repeat(65)}, {"name", 5}, {"name", "   "}, {"state", "on"}, {"grant", "allow"},
                    {"includeUsers", "pol-ann"}, {"includeUsers", new JsonArray().add("*").add("pol-ann")},
                    {"includeUsers", new JsonArray().add("nobody-here")}, {"includeUsers", new JsonArray().add(7)},
                    {"includeUsers", new JsonArray().add("bad name")},
                    {"includeRoles", new JsonArray().add("root")}, {"excludeUsers", new JsonArray().add("ghost")},
                    {"trustedNetworks", new JsonArray().add("10.0.0.1/8")},
                    {"trustedNetworks", new JsonArray().add("10.0.0.0/33")},
                    {"trustedNetworks", new JsonArray().add("not-a-network")},
                    {"trustedNetworks", new JsonArray().add("2001:db8::/129")},
                    {"trustedNetworks", new JsonArray().add("256.1.1.0/24")},
                    {"trustedNetworks", new JsonArray().add("example.com/24")},
                    {"trustedNetworks", new JsonArray().add("10.0.0.0/8").add("10.0.0.0/8")},
                    {"exludeUsers", new JsonArray().add("pol-bob")}};
            for (Object[] bad : cases) {
                JsonObject body = good.copy().put((String) bad[0], bad[1]);
                Api.Response refused = calls.createPolicy(body, fixture.admin());
                assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
                assertThat(refused.json().getString("message")).as(body.toString()).startsWith((String) bad[0]);
            }
            for (String required : List.of("name", "grant")) {
                JsonObject body = good.copy();
                body.remove(required);
                Api.Response refused = calls.createPolicy(body, fixture.admin());
                assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
                assertThat(refused.json().getString("message")).startsWith(required);
            }
            JsonObject nobody = good.copy().put("includeUsers", new JsonArray());
            assertThat(calls.createPolicy(nobody, fixture.admin()).json().getString("message"))
                    .startsWith("includeUsers");
            assertThat(fixture.service().count("conditional_access_policies")).isEqualTo(policies);
        }

        @Test
        void aChangeThatNamesNothingIsRefusedAndChangesNothing() {
            Api.Response created = calls.createPolicy(AdminCalls.policyBody("Untouched", "disabled", "require_mfa",
                    "*"), fixture.admin());
            String before = fixture.service().snapshot();
            Api.Response empty = fixture.api().patch("/api/v1/admin/policies/" + created.string("id"), new JsonObject(),
                    fixture.admin());
            assertThat(empty.status()).as(empty.toString()).isEqualTo(400);
            assertThat(empty.error()).isEqualTo("invalid_field");
            assertThat(empty.json().getString("message")).contains("grant").endsWith(
                    "name at least one policy field to change.");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class OnlyAdmins {
        @Test
        void reachTheAdminControlsAndOthersGetAJsonError() {
            String user = fixture.flows().signIn("pol-bob").string("sessionToken");
            List<String[]> calls = List.of(new String[] {"GET", "/api/v1/admin/settings"},
                    new String[] {"GET", "/api/v1/admin/policies"}, new String[] {"GET", "/api/v1/admin/activity"},
                    new String[] {"GET", "/api/v1/admin/users/pol-bob"},
                    new String[] {"POST", "/api/v1/admin/policies"},
                    new String[] {"POST", "/api/v1/admin/users/pol-bob/actions"});
            for (String[] call : calls) {
                Api.Response asUser = call[0].equals("GET") ? fixture.api().get(call[1], user)
                        : fixture.api().post(call[1], new JsonObject().put("action", "revoke_sessions"), user);
                assertThat(asUser.status()).as(call[1] + " → " + asUser).isEqualTo(403);
                assertThat(asUser.error()).isEqualTo("forbidden");
                Api.Response anonymous = call[0].equals("GET") ? fixture.api().get(call[1])
                        : fixture.api().post(call[1], new JsonObject().put("action", "revoke_sessions"));
                assertThat(anonymous.status()).as(call[1] + " → " + anonymous).isEqualTo(401);
            }
            Api.Response put = SettingsAndPoliciesTest.calls.settings(new JsonObject().put("numberDigits", 3), user);
            assertThat(put.status()).isEqualTo(403);
            Api.Response bulk = SettingsAndPoliciesTest.calls.postBytes("/api/v1/admin/users/bulk-mfa",
                    "Username,MFA Status\npol-bob,Enforced\n".getBytes(), "text/csv", user);
            assertThat(bulk.status()).isEqualTo(403);
            assertThat(fixture.service().count("users WHERE username = 'pol-bob' AND mfa_state = 'disabled'"))
                    .isEqualTo(1);
        }
    }
}
