package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users as admins manage them: create, list with the MFA filter, per-user MFA state, devices
 * (ARCHITECTURE.md §4, §8).
 */
class UserAdministrationTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    @BeforeAll
    static void aUserInEachMfaState() {
        for (String state : new String[] {"disabled", "enabled", "enforced"}) {
            fixture.flows().createUser(fixture.admin(), "list-" + state, state);
        }
    }

    private static Api.Response create(JsonObject body) {
        return fixture.api().post("/api/v1/admin/users", body, fixture.admin());
    }

    private static JsonObject newUser(String username) {
        return new JsonObject().put("username", username).put("password", TestService.PASSWORD);
    }

    private static List<JsonObject> list(String filter) {
        Api.Response response = fixture.api().get("/api/v1/admin/users" + (filter == null ? "" : "?mfa=" + filter),
                fixture.admin());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.array("users").stream().map(JsonObject.class::cast).toList();
    }

    private static JsonObject listed(String username) {
        return list(null).stream().filter(user -> user.getString("username").equals(username)).findFirst()
                .orElseThrow(() -> new AssertionError(username + " is not listed"));
    }

    @Nested
    class Creating {
        @Test
        void aUserAnswers201WithTheUserAsListed() {
            Api.Response created = create(newUser("rita").put("displayName", "Rita Levi"));

            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            JsonObject user = created.json();
            assertThat(user.getString("username")).isEqualTo("rita");
            assertThat(user.getString("displayName")).isEqualTo("Rita Levi");
            assertThat(user.getString("role")).isEqualTo("user");
            assertThat(user.getString("mfaState")).isEqualTo("disabled");
            assertThat(user.getInteger("methodsRegistered")).isZero();
            assertThat(user.containsKey("password")).isFalse();
            assertThat(listed("rita")).isEqualTo(user);
        }

        @Test
        void storesOnlyAnArgon2idHashOfThePassword() {
            create(newUser("sam"));
            String hash = fixture.service().sql("SELECT password_hash FROM users WHERE username = 'sam'").iterator()
                    .next().getString("password_hash");
            assertThat(hash).startsWith("$argon2id$v=19$").doesNotContain(TestService.PASSWORD);
            assertThat(fixture.flows().signIn("sam").status()).isEqualTo(200);
        }

        @Test
        void anAdminWithAnMfaStateWhenAsked() {
            Api.Response created = create(newUser("tia").put("role", "admin").put("mfaState", "enforced"));
            assertThat(created.json().getString("role")).isEqualTo("admin");
            assertThat(created.json().getString("mfaState")).isEqualTo("enforced");
        }

        @Test
        void aDuplicateIsAConflictWhateverTheCase() {
            assertThat(create(newUser("uma")).status()).isEqualTo(201);
            long users = fixture.service().count("users");
            for (String again : new String[] {"uma", "UMA", "Uma"}) {
                Api.Response duplicate = create(newUser(again));
                assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(409);
                assertThat(duplicate.error()).isEqualTo("user_exists");
            }
            assertThat(fixture.service().count("users")).isEqualTo(users);
        }

        @Test
        void anInvalidUsernameOrAShortPasswordIsRefused() {
            String before = fixture.service().snapshot();
            for (JsonObject body : new JsonObject[] {
                    newUser("bad name"), newUser("-starts-with-dash"), newUser("ümlaut"), newUser("a".repeat(65)),
                    newUser("semi;colon"), newUser("x").put("password", "short12"),
                    newUser("ok-name").put("password", "        "), newUser("ok-name").put("role", "root"),
                    newUser("ok-name").put("mfaState", "always"), new JsonObject().put("password", "long enough"),
                    newUser("ok-name").put("displayName", "d".repeat(129))}) {
                Api.Response refused = create(body);
                assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
            }
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class Listing {
        @Test
        void filtersByEachMfaState() {
            for (String state : new String[] {"disabled", "enabled", "enforced"}) {
                List<JsonObject> users = list(state);
                assertThat(users).extracting(user -> user.getString("mfaState")).containsOnly(state);
                assertThat(users).extracting(user -> user.getString("username")).contains("list-" + state);
            }
        }

        @Test
        void showsEveryoneForAnyOrNoFilter() {
            assertThat(list("any")).extracting(user -> user.getString("username"))
                    .contains("list-disabled", "list-enabled", "list-enforced", TestService.ADMIN);
            assertThat(list("any")).isEqualTo(list(null));
        }

        @Test
        void refusesAnUnknownFilter() {
            Api.Response refused = fixture.api().get("/api/v1/admin/users?mfa=bogus", fixture.admin());
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_field");
        }

        @Test
        void explainsTheEffectiveMfaOfEachUser() {
            assertThat(listed("list-enforced").getJsonObject("effectiveMfa"))
                    .isEqualTo(new JsonObject().put("required", true).put("reason", "per_user"));
            assertThat(listed("list-enabled").getJsonObject("effectiveMfa"))
                    .isEqualTo(new JsonObject().put("required", true).put("reason", "per_user"));
            assertThat(listed("list-disabled").getJsonObject("effectiveMfa"))
                    .isEqualTo(new JsonObject().put("required", true).put("reason", "security_defaults"));
        }

        @Test
        void countsOnlyVerifiedDevicesAsMethods() {
            fixture.flows().createUser(fixture.admin(), "vera", "enforced");
            try (TestDevice verified = fixture.flows().registerDevice("vera")) {
                assertThat(listed("vera").getInteger("methodsRegistered")).isEqualTo(1);
                String session = fixture.flows().signInWithPush("vera", verified);
                Api.Response enrollment = fixture.api().post("/api/v1/enrollments", new JsonObject(), session);
                try (TestDevice unverified = TestDevice.activate(fixture.api(),
                        org.countersign.protocol.EnrollmentUri.parse(enrollment.string("uri")).code())) {
                    assertThat(listed("vera").getInteger("methodsRegistered")).isEqualTo(1);
                    fixture.api().delete("/api/v1/admin/devices/" + verified.deviceId(), fixture.admin());
                    assertThat(listed("vera").getInteger("methodsRegistered")).isZero();
                }
            }
        }
    }

    @Nested
    class ChangingTheMfaState {
        @Test
        void answersTheUpdatedUserAndIsAudited() {
            fixture.flows().createUser(fixture.admin(), "walt", "disabled");
            Api.Response patched = fixture.api().patch("/api/v1/admin/users/walt", new JsonObject()
                    .put("mfaState", "enforced"), fixture.admin());

            assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
            assertThat(patched.string("mfaState")).isEqualTo("enforced");
            assertThat(patched.json().getJsonObject("effectiveMfa").getString("reason")).isEqualTo("per_user");
            assertThat(listed("walt").getString("mfaState")).isEqualTo("enforced");
            assertThat(fixture.service().count("audit_events WHERE type = 'admin.mfa_state_changed' "
                    + "AND target = 'walt' AND actor = '" + TestService.ADMIN + "'")).isEqualTo(1);
            assertThat(fixture.flows().signIn("walt").string("state")).isEqualTo("registration_required");
        }

        @Test
        void findsTheUserWhateverTheCase() {
            fixture.flows().createUser(fixture.admin(), "Xena", "disabled");
            Api.Response patched = fixture.api().patch("/api/v1/admin/users/XENA", new JsonObject()
                    .put("mfaState", "enabled"), fixture.admin());
            assertThat(patched.status()).isEqualTo(200);
            assertThat(patched.string("username")).isEqualTo("Xena");
        }

        @Test
        void ofAnUnknownUserIsNotFound() {
            Api.Response refused = fixture.api().patch("/api/v1/admin/users/nobody", new JsonObject()
                    .put("mfaState", "enforced"), fixture.admin());
            assertThat(refused.status()).isEqualTo(404);
            assertThat(refused.error()).isEqualTo("not_found");
        }

        @Test
        void toAnUnknownValueIsRefused() {
            String before = fixture.service().snapshot();
            for (JsonObject body : new JsonObject[] {new JsonObject().put("mfaState", "sometimes"),
                    new JsonObject().put("mfaState", 2), new JsonObject()}) {
                Api.Response refused = fixture.api().patch("/api/v1/admin/users/list-enabled", body, fixture.admin());
                assertThat(refused.status()).as(body + " → " + refused).isEqualTo(400);
            }
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class TheDevicesOfAUser {
        @Test
        void showWhetherEachIsConnected() throws Exception {
            fixture.flows().createUser(fixture.admin(), "yuri", "enforced");
            TestDevice device = fixture.flows().registerDevice("yuri");
            JsonObject shown = devices("yuri").getJsonObject(0);
            assertThat(shown.getString("deviceId")).isEqualTo(device.deviceId());
            assertThat(shown.getString("state")).isEqualTo("verified");
            assertThat(shown.getString("name")).isEqualTo("test phone");
            assertThat(shown.getBoolean("connected")).isTrue();

            device.close();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            while (devices("yuri").getJsonObject(0).getBoolean("connected") && Instant.now().isBefore(deadline)) {
                Thread.onSpinWait(); // polls the API until the service has seen the close; no fixed sleep
            }
            assertThat(devices("yuri").getJsonObject(0).getBoolean("connected")).isFalse();
        }

        @Test
        void ofAnUnknownUserAreNotFound() {
            assertThat(fixture.api().get("/api/v1/admin/users/nobody/devices", fixture.admin()).status())
                    .isEqualTo(404);
        }

        private JsonArray devices(String username) {
            Api.Response response = fixture.api().get("/api/v1/admin/users/" + username + "/devices", fixture.admin());
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            return response.array("devices");
        }
    }
}
