package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** "Manage user settings" for admins, and a person's own "sign out everywhere" (ARCHITECTURE.md §4). */
class ManageUserSettingsTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static final AdminCalls calls = new AdminCalls(fixture::api);

    @BeforeAll
    static void appPasswordsAllowed() {
        calls.setSettings(new JsonObject().put("appPasswordsAllowed", true), fixture.admin());
    }

    private static Api.Response act(String username, String action) {
        return fixture.api().post("/api/v1/admin/users/" + username + "/actions", new JsonObject()
                .put("action", action), fixture.admin());
    }

    /** Signs in with push, ticking "don't ask again"; answers the session and remember tokens. */
    private static String[] signInRemembered(String username, TestDevice device) {
        Api.Response started = fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", username)
                .put("password", TestService.PASSWORD).put("app", "Mail").put("rememberDevice", true));
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        ApprovalRequest request = device.next(ApprovalRequest.class);
        device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        Api.Response result = fixture.api().get("/api/v1/sign-ins/" + started.string("signInId"));
        return new String[] {result.string("sessionToken"), result.string("rememberToken")};
    }

    private static Api.Response signInWith(String username, String rememberToken) {
        return fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", username)
                .put("password", TestService.PASSWORD).put("app", "Mail").put("rememberToken", rememberToken));
    }

    @Nested
    class RequireReregistration {
        @Test
        void removesEveryDeviceClosesItsChannelAndDeniesWhatItCouldStillAnswer() throws Exception {
            fixture.flows().createUser(fixture.admin(), "rr-amy", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("rr-amy")) {
                Api.Response pending = fixture.flows().signIn("rr-amy");
                assertThat(pending.string("state")).isEqualTo("pending");
                device.next(ApprovalRequest.class);

                Api.Response done = act("rr-amy", "require_reregistration");
                assertThat(done.status()).as(done.toString()).isEqualTo(200);
                assertThat(done.json()).isEqualTo(new JsonObject().put("username", "rr-amy")
                        .put("action", "require_reregistration").put("devicesRemoved", 1));
                assertThat(device.awaitClose(Duration.ofSeconds(1))).isEqualTo(4403);
                assertThat(fixture.rows().deviceState(device.deviceId())).isEqualTo("removed");
                assertThat(fixture.rows().signIn(pending.string("signInId")).state()).isEqualTo("denied");

                Api.Response next = fixture.flows().signIn("rr-amy");
                assertThat(next.string("state")).as(next.toString()).isEqualTo("registration_required");
                assertThat(calls.user("rr-amy", fixture.admin()).getInteger("methodsRegistered")).isZero();
                assertThat(fixture.service().count("audit_events WHERE type = 'admin.user_action' AND actor = 'admin' "
                        + "AND target = 'rr-amy' AND detail->>'action' = 'require_reregistration'")).isEqualTo(1);
                assertThat(fixture.service().count("audit_events WHERE type = 'device.removed' AND actor = 'admin' "
                        + "AND target = 'rr-amy'")).isEqualTo(1);
            }
        }
    }

    @Nested
    class RevokingRememberedDevicesAndSessions {
        @Test
        void restoresMfaOnRememberedDevices() {
            fixture.flows().createUser(fixture.admin(), "rv-ben", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("rv-ben")) {
                String remember = signInRemembered("rv-ben", device)[1];
                assertThat(remember).isNotNull();
                assertThat(signInWith("rv-ben", remember).string("state")).isEqualTo("approved");

                Api.Response done = act("rv-ben", "revoke_remembered_devices");
                assertThat(done.status()).as(done.toString()).isEqualTo(200);
                assertThat(done.json().getInteger("rememberedDevicesRevoked")).isEqualTo(1);
                assertThat(signInWith("rv-ben", remember).string("state")).isEqualTo("pending");
            }
        }

        @Test
        void signsTheUserOutOfEverySession() {
            fixture.flows().createUser(fixture.admin(), "rv-cat", "disabled");
            String first = fixture.flows().signIn("rv-cat").string("sessionToken");
            String second = fixture.flows().signIn("rv-cat").string("sessionToken");
            assertThat(fixture.api().get("/api/v1/me/methods", first).status()).isEqualTo(200);

            Api.Response done = act("rv-cat", "revoke_sessions");
            assertThat(done.json().getInteger("sessionsRevoked")).isEqualTo(2);
            assertThat(fixture.api().get("/api/v1/me/methods", first).status()).isEqualTo(401);
            assertThat(fixture.api().get("/api/v1/me/methods", second).status()).isEqualTo(401);
        }

        @Test
        void signOutEverywhereRevokesEverySessionAndRememberTokenOfTheCaller() {
            fixture.flows().createUser(fixture.admin(), "so-dee", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("so-dee")) {
                String[] tokens = signInRemembered("so-dee", device);
                String other = fixture.flows().signInWithPush("so-dee", device);

                Api.Response done = fixture.api().post("/api/v1/me/sign-out-everywhere", new JsonObject(), tokens[0]);
                assertThat(done.status()).as(done.toString()).isEqualTo(200);
                assertThat(done.json().getInteger("sessionsRevoked")).isGreaterThanOrEqualTo(2);
                assertThat(done.json().getInteger("rememberedDevicesRevoked")).isEqualTo(1);
                assertThat(fixture.api().get("/api/v1/me/methods", tokens[0]).status()).isEqualTo(401);
                assertThat(fixture.api().get("/api/v1/me/methods", other).status()).isEqualTo(401);
                assertThat(signInWith("so-dee", tokens[1]).string("state")).isEqualTo("pending");
                assertThat(fixture.service().count("audit_events WHERE type = 'session.signed_out_everywhere' "
                        + "AND actor = 'so-dee'")).isEqualTo(1);
                assertThat(fixture.api().post("/api/v1/me/sign-out-everywhere", new JsonObject()).status())
                        .isEqualTo(401);
            }
        }
    }

    @Nested
    class DeletingAppPasswords {
        @Test
        void deletesEveryAppPasswordOfTheUser() {
            fixture.flows().createUser(fixture.admin(), "ap-eli", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("ap-eli")) {
                String session = fixture.flows().signInWithPush("ap-eli", device);
                for (String name : new String[] {"Outlook 2013", "Printer"}) {
                    Api.Response created = fixture.api().post("/api/v1/me/app-passwords", new JsonObject()
                            .put("name", name), session);
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                }
                assertThat(calls.user("ap-eli", fixture.admin()).getInteger("appPasswordCount")).isEqualTo(2);

                Api.Response done = act("ap-eli", "delete_app_passwords");
                assertThat(done.json().getInteger("appPasswordsDeleted")).isEqualTo(2);
                assertThat(calls.user("ap-eli", fixture.admin()).getInteger("appPasswordCount")).isZero();
                assertThat(fixture.api().get("/api/v1/me/app-passwords", session).array("appPasswords")).isEmpty();
            }
        }
    }

    @Nested
    class BadRequests {
        @Test
        void areRefusedWithAClearErrorAndChangeNothing() {
            fixture.flows().createUser(fixture.admin(), "bad-fin", "disabled");
            String before = fixture.service().snapshot();
            Api.Response unknownAction = act("bad-fin", "reset_everything");
            assertThat(unknownAction.status()).isEqualTo(400);
            assertThat(unknownAction.json().getString("message")).startsWith("action").contains("revoke_sessions");
            assertThat(fixture.api().post("/api/v1/admin/users/bad-fin/actions", new JsonObject().put("action", 3),
                    fixture.admin()).status()).isEqualTo(400);
            assertThat(fixture.api().post("/api/v1/admin/users/bad-fin/actions", new JsonObject(), fixture.admin())
                    .status()).isEqualTo(400);
            Api.Response unknownUser = act("nobody-at-all", "revoke_sessions");
            assertThat(unknownUser.status()).isEqualTo(404);
            assertThat(unknownUser.error()).isEqualTo("not_found");
            assertThat(fixture.api().get("/api/v1/admin/users/nobody-at-all", fixture.admin()).status()).isEqualTo(404);
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class TheUserPanel {
        @Test
        void showsEverythingAboutTheUserInOneAnswer() {
            fixture.flows().createUser(fixture.admin(), "pn-gil", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("pn-gil")) {
                JsonObject user = calls.user("PN-GIL", fixture.admin());
                assertThat(user.getString("username")).isEqualTo("pn-gil");
                assertThat(user.getString("role")).isEqualTo("user");
                assertThat(user.getString("mfaState")).isEqualTo("enforced");
                assertThat(user.getJsonObject("effectiveMfa"))
                        .isEqualTo(new JsonObject().put("required", true).put("reason", "per_user"));
                assertThat(user.getJsonArray("rules").getList()).containsExactly("per_user");
                assertThat(user.getInteger("methodsRegistered")).isEqualTo(1);
                assertThat(user.getJsonArray("devices").getJsonObject(0).getString("deviceId"))
                        .isEqualTo(device.deviceId());
                assertThat(user.getInteger("appPasswordCount")).isZero();
                assertThat(user.getInteger("failedMfaAttempts")).isZero();
                assertThat(user.getString("createdAt")).isNotBlank();
            }
        }
    }
}
