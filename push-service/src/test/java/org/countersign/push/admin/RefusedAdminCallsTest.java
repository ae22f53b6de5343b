package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Refused admin calls are in the activity log too: an admin's change that was refused (409, 400, 404) as its event
 * type with outcome {@code refused} and the error, although the change itself rolled back; a signed-in non-admin on
 * an admin route as {@code admin.forbidden}. A call without a session records nothing.
 */
class RefusedAdminCallsTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static final AdminCalls calls = new AdminCalls(fixture::api);
    static String user;
    long lastId;

    @BeforeAll
    static void aSignedInUserWhoIsNotAnAdmin() {
        fixture.flows().createUser(fixture.admin(), "rf-nia", "disabled");
        // security defaults on, no method yet: a full session within the registration grace, of someone not an admin
        user = fixture.flows().signIn("rf-nia").string("sessionToken");
    }

    @BeforeEach
    void markTheLog() {
        lastId = fixture.service().sql("SELECT coalesce(max(id), 0) AS m FROM audit_events").iterator().next()
                .getLong("m");
    }

    @AfterEach
    void freshInstallationAgain() {
        fixture.service().sql("UPDATE conditional_access_policies SET state = 'disabled'");
        fixture.service().sql("UPDATE settings SET security_defaults = true");
    }

    /** The events recorded since this test began. */
    private List<Row> newEvents(String where) {
        List<Row> rows = new ArrayList<>();
        fixture.service().sql("SELECT type, actor, target, outcome, detail->>'error' AS error, "
                + "detail->>'message' AS message, detail->>'path' AS path FROM audit_events WHERE id > " + lastId
                + (where.isEmpty() ? "" : " AND " + where) + " ORDER BY id").forEach(rows::add);
        return rows;
    }

    @Nested
    class TheConflictBetweenSecurityDefaultsAndPolicies {
        @Test
        void enablingAPolicyWhileSecurityDefaultsAreOnLeavesOneRefusedEvent() {
            Api.Response created = calls.createPolicy(AdminCalls.policyBody("rf-enabled", "enabled", "require_mfa",
                    "*"), fixture.admin());
            assertThat(created.status()).as(created.toString()).isEqualTo(409);
            assertThat(fixture.service().count("conditional_access_policies WHERE name = 'rf-enabled'")).isZero();

            List<Row> refused = newEvents("outcome = 'refused'");
            assertThat(refused).hasSize(1);
            Row event = refused.get(0);
            assertThat(event.getString("type")).isEqualTo("admin.policy_created");
            assertThat(event.getString("actor")).isEqualTo(TestService.ADMIN);
            assertThat(event.getString("target")).isEqualTo("rf-enabled");
            assertThat(event.getString("error")).isEqualTo("conflict");
            assertThat(event.getString("message")).isEqualTo(created.json().getString("message"))
                    .contains("security defaults are on");
            assertThat(event.getString("path")).isEqualTo("/api/v1/admin/policies");

            String id = calls.policy(AdminCalls.policyBody("rf-later", "disabled", "require_mfa", "*"),
                    fixture.admin());
            markTheLog();
            Api.Response enabling = fixture.api().patch("/api/v1/admin/policies/" + id, new JsonObject().put("state",
                    "enabled"), fixture.admin());
            assertThat(enabling.status()).as(enabling.toString()).isEqualTo(409);
            List<Row> patched = newEvents("");
            assertThat(patched).hasSize(1);
            assertThat(patched.get(0).getString("type")).isEqualTo("admin.policy_updated");
            assertThat(patched.get(0).getString("outcome")).isEqualTo("refused");
            assertThat(patched.get(0).getString("error")).isEqualTo("conflict");
        }

        @Test
        void switchingSecurityDefaultsOnWhileAPolicyIsEnabledLeavesOneRefusedEvent() {
            calls.setSettings(new JsonObject().put("securityDefaults", false), fixture.admin());
            calls.policy(AdminCalls.policyBody("rf-on", "enabled", "require_mfa", "*"), fixture.admin());
            markTheLog();

            Api.Response on = calls.settings(new JsonObject().put("securityDefaults", true), fixture.admin());
            assertThat(on.status()).as(on.toString()).isEqualTo(409);
            List<Row> events = newEvents("");
            assertThat(events).hasSize(1);
            Row event = events.get(0);
            assertThat(event.getString("type")).isEqualTo("admin.settings_changed");
            assertThat(event.getString("outcome")).isEqualTo("refused");
            assertThat(event.getString("actor")).isEqualTo(TestService.ADMIN);
            assertThat(event.getString("error")).isEqualTo("conflict");
            assertThat(event.getString("message")).contains("'rf-on'");
            assertThat(fixture.service().sql("SELECT security_defaults FROM settings").iterator().next()
                    .getBoolean("security_defaults")).isFalse();
        }
    }

    @Nested
    class OtherRefusals {
        @Test
        void badInputAndUnknownPeopleAreRecordedWithTheirError() {
            assertThat(calls.settings(new JsonObject().put("rememberMfaDays", 999), fixture.admin()).status())
                    .isEqualTo(400);
            assertThat(fixture.api().patch("/api/v1/admin/users/rf-nobody", new JsonObject()
                    .put("mfaState", "enforced"), fixture.admin()).status()).isEqualTo(404);
            assertThat(fixture.api().post("/api/v1/admin/users/rf-nia/actions", new JsonObject()
                    .put("action", "explode"), fixture.admin()).status()).isEqualTo(400);
            assertThat(fixture.api().delete("/api/v1/admin/devices/not-a-device", fixture.admin()).status())
                    .isEqualTo(404);
            assertThat(fixture.api().post("/api/v1/admin/users", new JsonObject().put("username", "rf-nia")
                    .put("password", TestService.PASSWORD), fixture.admin()).status()).isEqualTo(409);

            assertThat(newEvents("").stream().map(row -> row.getString("type") + "/" + row.getString("outcome")
                    + "/" + row.getString("target") + "/" + row.getString("error")).toList()).containsExactly(
                    "admin.settings_changed/refused/null/invalid_field",
                    "admin.mfa_state_changed/refused/rf-nobody/not_found",
                    "admin.user_action/refused/rf-nia/invalid_field",
                    "device.removed/refused/null/not_found",
                    "admin.user_created/refused/rf-nia/user_exists");
        }
    }

    @Nested
    class CallsOfPeopleWhoAreNotAdmins {
        @Test
        void areRefusedWith403AndRecordedOnceAsForbidden() {
            Api.Response refused = fixture.api().get("/api/v1/admin/users?mfa=any", user);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.error()).isEqualTo("forbidden");

            List<Row> events = newEvents("");
            assertThat(events).hasSize(1);
            Row event = events.get(0);
            assertThat(event.getString("type")).isEqualTo("admin.forbidden");
            assertThat(event.getString("actor")).isEqualTo("rf-nia");
            assertThat(event.getString("target")).isEqualTo("/api/v1/admin/users");
            assertThat(event.getString("outcome")).isEqualTo("refused");
            assertThat(event.getString("error")).isEqualTo("forbidden");
        }

        @Test
        void withoutASessionAre401AndRecordNothing() {
            assertThat(fixture.api().get("/api/v1/admin/users").status()).isEqualTo(401);
            assertThat(calls.settings(new JsonObject().put("securityDefaults", false), null).status()).isEqualTo(401);
            assertThat(fixture.api().get("/api/v1/admin/users", "not-a-session-token").status()).isEqualTo(401);
            assertThat(newEvents("")).isEmpty();
        }
    }
}
