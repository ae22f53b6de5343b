package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** App passwords: shown once, stored hashed, usable only on the legacy endpoint while allowed. */
class AppPasswordsTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static final AdminCalls calls = new AdminCalls(fixture::api);
    static TestDevice device;
    static String session;

    @BeforeAll
    static void appPasswordsAllowedAndAUserWithAPushSession() {
        calls.setSettings(new JsonObject().put("appPasswordsAllowed", true), fixture.admin());
        fixture.flows().createUser(fixture.admin(), "ap-ann", "enforced");
        device = fixture.flows().registerDevice("ap-ann");
        session = fixture.flows().signInWithPush("ap-ann", device);
    }

    @AfterAll
    static void closeTheDevice() {
        device.close();
    }

    @AfterEach
    void allowedAgain() {
        fixture.service().sql("UPDATE settings SET app_passwords_allowed = true, security_defaults = false");
        fixture.service().sql("UPDATE conditional_access_policies SET state = 'disabled'");
    }

    private static JsonObject create(String name) {
        Api.Response created = fixture.api().post("/api/v1/me/app-passwords", new JsonObject().put("name", name),
                session);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json();
    }

    @Nested
    class Creating {
        @Test
        void showsThePasswordOnceAndStoresOnlyAnArgon2idHash() {
            JsonObject created = create("Outlook 2013");
            String password = created.getString("password");
            assertThat(password).matches("[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){4}");
            assertThat(created.getString("name")).isEqualTo("Outlook 2013");
            assertThat(created.getString("id")).isNotBlank();

            Api.Response list = fixture.api().get("/api/v1/me/app-passwords", session);
            assertThat(list.json().getBoolean("allowed")).isTrue();
            assertThat(list.body()).doesNotContain(password).contains("Outlook 2013");

            Row row = fixture.service().sql("SELECT password_hash FROM app_passwords WHERE id = '"
                    + UUID.fromString(created.getString("id")) + "'").iterator().next();
            assertThat(row.getString("password_hash")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            String plain = password.replace("-", "");
            for (String table : new String[] {"app_passwords", "audit_events", "users", "sessions"}) {
                String dump = fixture.service().sql("SELECT string_agg(t::text, '|') AS d FROM " + table + " t")
                        .iterator().next().getString("d");
                assertThat(dump).as(table).doesNotContain(password).doesNotContain(plain);
            }
            assertThat(fixture.service().count("audit_events WHERE type = 'app_password.created' AND actor = 'ap-ann'"))
                    .isGreaterThanOrEqualTo(1);
        }

        @Test
        void needsASessionThatCompletedMfa() {
            fixture.flows().createUser(fixture.admin(), "ap-nomfa", "disabled");
            String plain = fixture.flows().signIn("ap-nomfa").string("sessionToken");
            Api.Response refused = fixture.api().post("/api/v1/me/app-passwords", new JsonObject().put("name", "x"),
                    plain);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.error()).isEqualTo("mfa_required");
            assertThat(fixture.api().post("/api/v1/me/app-passwords", new JsonObject().put("name", "x")).status())
                    .isEqualTo(401);
        }

        @Test
        void isRefusedWhileTheSettingIsOff() {
            calls.setSettings(new JsonObject().put("appPasswordsAllowed", false), fixture.admin());
            Api.Response refused = fixture.api().post("/api/v1/me/app-passwords", new JsonObject().put("name", "x"),
                    session);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.error()).isEqualTo("app_passwords_disabled");
            assertThat(fixture.api().get("/api/v1/me/app-passwords", session).json().getBoolean("allowed")).isFalse();
        }

        @Test
        void refusesABadName() {
            long before = fixture.service().count("app_passwords");
            for (JsonObject body : new JsonObject[] {new JsonObject(), new JsonObject().put("name", "n".repeat(65)),
                    new JsonObject().put("name", 3), new JsonObject().put("name", " "),
                    new JsonObject().put("name", "ok").put("password", "mine")}) {
                Api.Response refused = fixture.api().post("/api/v1/me/app-passwords", body, session);
                assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
            }
            assertThat(fixture.service().count("app_passwords")).isEqualTo(before);
        }
    }

    @Nested
    class TheLegacySignIn {
        @Test
        void acceptsAnAppPasswordWithOrWithoutSeparatorsAndRecordsItsUse() {
            JsonObject created = create("IMAP client");
            String password = created.getString("password");
            Api.Response ok = calls.legacySignIn("ap-ann", password);
            assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
            assertThat(ok.json().getBoolean("ok")).isTrue();
            assertThat(calls.legacySignIn("AP-ANN", password.replace("-", "").toUpperCase()).status())
                    .isEqualTo(200);

            JsonObject listed = fixture.api().get("/api/v1/me/app-passwords", session).array("appPasswords").stream()
                    .map(JsonObject.class::cast).filter(p -> p.getString("id").equals(created.getString("id")))
                    .findFirst().orElseThrow();
            assertThat(listed.getString("lastUsedAt")).isEqualTo(fixture.clock().instant().toString());
            assertThat(fixture.service().count("audit_events WHERE type = 'legacy_sign_in' AND actor = 'ap-ann' "
                    + "AND outcome = 'approved'")).isGreaterThanOrEqualTo(2);
        }

        @Test
        void refusesAWrongAppPasswordTheAccountPasswordAndUnknownUsersAlike() {
            String password = create("SMTP relay").getString("password");
            for (Api.Response refused : new Api.Response[] {
                    calls.legacySignIn("ap-ann", password + "x"),
                    calls.legacySignIn("ap-ann", TestService.PASSWORD),
                    calls.legacySignIn("nobody-here", password),
                    calls.legacySignIn("admin", TestService.ADMIN_PASSWORD)}) {
                assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
                assertThat(refused.error()).isEqualTo("invalid_credentials");
                assertThat(refused.json().getString("message")).isEqualTo("The username or app password is incorrect.");
            }
            for (String header : new String[] {null, "Basic", "Basic !!!", "Bearer abc", "Basic YWxpY2U="}) {
                Api.Response refused = calls.legacySignInWithHeader(header);
                assertThat(refused.status()).as(header + " → " + refused).isEqualTo(401);
            }
        }

        @Test
        void isBlockedWhileSecurityDefaultsAreOnOrTheSettingIsOffOrABlockPolicyApplies() {
            String password = create("Old phone mail").getString("password");

            calls.setSettings(new JsonObject().put("securityDefaults", true), fixture.admin());
            Api.Response blocked = calls.legacySignIn("ap-ann", password);
            assertThat(blocked.status()).isEqualTo(403);
            assertThat(blocked.error()).isEqualTo("legacy_auth_blocked");
            calls.setSettings(new JsonObject().put("securityDefaults", false), fixture.admin());

            calls.setSettings(new JsonObject().put("appPasswordsAllowed", false), fixture.admin());
            Api.Response disabled = calls.legacySignIn("ap-ann", password);
            assertThat(disabled.status()).isEqualTo(403);
            assertThat(disabled.error()).isEqualTo("app_passwords_disabled");
            calls.setSettings(new JsonObject().put("appPasswordsAllowed", true), fixture.admin());

            calls.policy(AdminCalls.policyBody("No legacy for ann", "enabled", "block", "ap-ann"), fixture.admin());
            Api.Response byPolicy = calls.legacySignIn("ap-ann", password);
            assertThat(byPolicy.status()).isEqualTo(403);
            assertThat(byPolicy.error()).isEqualTo("blocked_by_policy");
            assertThat(byPolicy.json().getString("message")).contains("'No legacy for ann'");
            assertThat(calls.legacySignIn("ap-ann", "wrong-pass").status()).isEqualTo(401);
        }
    }

    @Nested
    class Deleting {
        @Test
        void removesItSoItNoLongerSignsIn() {
            JsonObject created = create("Scanner");
            Api.Response deleted = fixture.api().delete("/api/v1/me/app-passwords/" + created.getString("id"), session);
            assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
            assertThat(calls.legacySignIn("ap-ann", created.getString("password")).status()).isEqualTo(401);
            assertThat(fixture.api().delete("/api/v1/me/app-passwords/" + created.getString("id"), session).status())
                    .isEqualTo(404);
            assertThat(fixture.api().delete("/api/v1/me/app-passwords/not-an-id", session).status()).isEqualTo(404);
        }

        @Test
        void ofSomeoneElseIsNotFound() {
            JsonObject created = create("Mine");
            fixture.flows().createUser(fixture.admin(), "ap-other", "disabled");
            String other = fixture.flows().signIn("ap-other").string("sessionToken");
            assertThat(fixture.api().delete("/api/v1/me/app-passwords/" + created.getString("id"), other).status())
                    .isEqualTo(404);
            assertThat(fixture.api().get("/api/v1/me/app-passwords", other).array("appPasswords"))
                    .isEqualTo(new JsonArray());
            assertThat(calls.legacySignIn("ap-ann", created.getString("password")).status()).isEqualTo(200);
        }
    }

    @Nested
    class InTheAdminsUserPanel {
        @Test
        void areListedWithTheirTimesButNeverTheirHashAndCanBeDeletedOneByOne() {
            fixture.flows().createUser(fixture.admin(), "ap-dee", "enforced");
            try (TestDevice phone = fixture.flows().registerDevice("ap-dee")) {
                String dee = fixture.flows().signInWithPush("ap-dee", phone);
                JsonObject mail = createFor(dee, "Mail 2010");
                fixture.clock().advance(java.time.Duration.ofMinutes(1));
                JsonObject printer = createFor(dee, "Printer");
                assertThat(calls.legacySignIn("ap-dee", printer.getString("password")).status()).isEqualTo(200);

                JsonObject panel = calls.user("ap-dee", fixture.admin());
                assertThat(panel.getInteger("appPasswordCount")).isEqualTo(2);
                JsonArray listed = panel.getJsonArray("appPasswords");
                assertThat(listed).hasSize(2);
                JsonObject first = listed.getJsonObject(0);
                assertThat(first.fieldNames()).containsExactlyInAnyOrder("id", "name", "createdAt");
                assertThat(first.getString("name")).isEqualTo("Mail 2010");
                JsonObject used = listed.getJsonObject(1);
                assertThat(used.fieldNames()).containsExactlyInAnyOrder("id", "name", "createdAt", "lastUsedAt");
                String hash = fixture.service().sql("SELECT password_hash FROM app_passwords WHERE id = '"
                        + printer.getString("id") + "'").iterator().next().getString("password_hash");
                assertThat(panel.encode()).doesNotContain(hash).doesNotContain("argon2")
                        .doesNotContain(printer.getString("password"));

                String path = "/api/v1/admin/users/ap-dee/app-passwords/" + mail.getString("id");
                Api.Response deleted = fixture.api().delete(path, fixture.admin());
                assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
                assertThat(deleted.json().getString("name")).isEqualTo("Mail 2010");
                assertThat(deleted.json().getBoolean("deleted")).isTrue();
                assertThat(calls.legacySignIn("ap-dee", mail.getString("password")).status()).isEqualTo(401);
                assertThat(calls.legacySignIn("ap-dee", printer.getString("password")).status()).isEqualTo(200);
                assertThat(calls.user("ap-dee", fixture.admin()).getJsonArray("appPasswords")).hasSize(1);
                assertThat(fixture.service().count("audit_events WHERE type = 'app_password.deleted' "
                        + "AND actor = 'admin' AND target = 'ap-dee' AND outcome = 'success' "
                        + "AND detail->>'appPasswordId' = '"
                        + mail.getString("id") + "'")).isEqualTo(1);

                // gone already, someone else's, malformed: not found, and the refusal is recorded
                assertThat(fixture.api().delete(path, fixture.admin()).status()).isEqualTo(404);
                assertThat(fixture.api().delete("/api/v1/admin/users/ap-ann/app-passwords/" + printer.getString("id"),
                        fixture.admin()).status()).isEqualTo(404);
                assertThat(fixture.api().delete("/api/v1/admin/users/ap-dee/app-passwords/nope", fixture.admin())
                        .status()).isEqualTo(404);
                assertThat(fixture.service().count("audit_events WHERE type = 'app_password.deleted' "
                        + "AND actor = 'admin' AND outcome = 'refused'")).isEqualTo(3);
                // and only admins may
                assertThat(fixture.api().delete("/api/v1/admin/users/ap-dee/app-passwords/" + printer.getString("id"),
                        dee).status()).isEqualTo(403);
                assertThat(calls.legacySignIn("ap-dee", printer.getString("password")).status()).isEqualTo(200);
            }
        }

        private JsonObject createFor(String token, String name) {
            Api.Response created = fixture.api().post("/api/v1/me/app-passwords", new JsonObject().put("name", name),
                    token);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            return created.json();
        }
    }
}
