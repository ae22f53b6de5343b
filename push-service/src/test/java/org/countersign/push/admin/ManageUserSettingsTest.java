package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** "Manage user settings" for admins, and a person's own "sign out everywhere" (ARCHITECTURE.md §4). */
class ManageUserSettingsTest {
    static TestService service;
    static Api api;
    static AdminCalls calls;
    static Rows rows;
    static String admin;

    @BeforeAll
    static void start() {
        service = TestService.withoutSecurityDefaults();
        api = service.api;
        calls = new AdminCalls(service);
        rows = new Rows(service);
        admin = service.flows().adminToken();
        calls.setSettings(new JsonObject().put("appPasswordsAllowed", true), admin);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static Api.Response act(String username, String action) {
        return api.post("/api/v1/admin/users/" + username + "/actions", new JsonObject().put("action", action), admin);
    }

    /** Signs in with push, ticking "don't ask again"; answers the session and remember tokens. */
    private static String[] signInRemembered(String username, TestDevice device) {
        Api.Response started = api.post("/api/v1/sign-ins", new JsonObject().put("username", username)
                .put("password", TestService.PASSWORD).put("app", "Mail").put("rememberDevice", true));
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        ApprovalRequest request = device.next(ApprovalRequest.class);
        device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        Api.Response result = api.get("/api/v1/sign-ins/" + started.string("signInId"));
        return new String[] {result.string("sessionToken"), result.string("rememberToken")};
    }

    private static Api.Response signInWith(String username, String rememberToken) {
        return api.post("/api/v1/sign-ins", new JsonObject().put("username", username)
                .put("password", TestService.PASSWORD).put("app", "Mail").put("rememberToken", rememberToken));
    }

    @Nested
    class RequireReregistration {
        @Test
        void removesEveryDeviceClosesItsChannelAndDeniesWhatItCouldStillAnswer() throws Exception {
            service.flows().createUser(admin, "rr-amy", "enforced");
            try (TestDevice device = service.flows().registerDevice("rr-amy")) {
                Api.Response pending = service.flows().signIn("rr-amy");
                assertThat(pending.string("state")).isEqualTo("pending");
                device.next(ApprovalRequest.class);

                Api.Response done = act("rr-amy", "require_reregistration");
                assertThat(done.status()).as(done.toString()).isEqualTo(200);
                assertThat(done.json()).isEqualTo(new JsonObject().put("username", "rr-amy")
                        .put("action", "require_reregistration").put("devicesRemoved", 1));
                assertThat(device.awaitClose(Duration.ofSeconds(1))).isEqualTo(4403);
                assertThat(rows.deviceState(device.deviceId())).isEqualTo("removed");
                assertThat(rows.signIn(pending.string("signInId")).state()).isEqualTo("denied");

                Api.Response next = service.flows().signIn("rr-amy");
                assertThat(next.string("state")).as(next.toString()).isEqualTo("registration_required");
                assertThat(calls.user("rr-amy", admin).getInteger("methodsRegistered")).isZero();
                assertThat(service.count("audit_events WHERE type = 'admin.user_action' AND actor = 'admin' "
                        + "AND target = 'rr-amy' AND detail->>'action' = 'require_reregistration'")).isEqualTo(1);
                assertThat(service.count("audit_events WHERE type = 'device.removed' AND actor = 'admin' "
                        + "AND target = 'rr-amy'")).isEqualTo(1);
            }
        }
    }

    @Nested
    class RevokingRememberedDevicesAndSessions {
        @Test
        void restoresMfaOnRememberedDevices() {
            service.flows().createUser(admin, "rv-ben", "enforced");
            try (TestDevice device = service.flows().registerDevice("rv-ben")) {
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
            service.flows().createUser(admin, "rv-cat", "disabled");
            String first = service.flows().signIn("rv-cat").string("sessionToken");
            String second = service.flows().signIn("rv-cat").string("sessionToken");
            assertThat(api.get("/api/v1/me/methods", first).status()).isEqualTo(200);

            Api.Response done = act("rv-cat", "revoke_sessions");
            assertThat(done.json().getInteger("sessionsRevoked")).isEqualTo(2);
            assertThat(api.get("/api/v1/me/methods", first).status()).isEqualTo(401);
            assertThat(api.get("/api/v1/me/methods", second).status()).isEqualTo(401);
        }

        @Test
        void signOutEverywhereRevokesEverySessionAndRememberTokenOfTheCaller() {
            service.flows().createUser(admin, "so-dee", "enforced");
            try (TestDevice device = service.flows().registerDevice("so-dee")) {
                String[] tokens = signInRemembered("so-dee", device);
                String other = service.flows().signInWithPush("so-dee", device);

                Api.Response done = api.post("/api/v1/me/sign-out-everywhere", new JsonObject(), tokens[0]);
                assertThat(done.status()).as(done.toString()).isEqualTo(200);
                assertThat(done.json().getInteger("sessionsRevoked")).isGreaterThanOrEqualTo(2);
                assertThat(done.json().getInteger("rememberedDevicesRevoked")).isEqualTo(1);
                assertThat(api.get("/api/v1/me/methods", tokens[0]).status()).isEqualTo(401);
                assertThat(api.get("/api/v1/me/methods", other).status()).isEqualTo(401);
                assertThat(signInWith("so-dee", tokens[1]).string("state")).isEqualTo("pending");
                assertThat(service.count("audit_events WHERE type = 'session.signed_out_everywhere' "
                        + "AND actor = 'so-dee'")).isEqualTo(1);
                assertThat(api.post("/api/v1/me/sign-out-everywhere", new JsonObject()).status()).isEqualTo(401);
            }
        }
    }

    @Nested
    class DeletingAppPasswords {
        @Test
        void deletesEveryAppPasswordOfTheUser() {
            service.flows().createUser(admin, "ap-eli", "enforced");
            try (TestDevice device = service.flows().registerDevice("ap-eli")) {
                String session = service.flows().signInWithPush("ap-eli", device);
                for (String name : new String[] {"Outlook 2013", "Printer"}) {
                    Api.Response created = api.post("/api/v1/me/app-passwords", new JsonObject().put("name", name),
                            session);
                    assertThat(created.status()).as(created.toString()).isEqualTo(201);
                }
                assertThat(calls.user("ap-eli", admin).getInteger("appPasswordCount")).isEqualTo(2);

                Api.Response done = act("ap-eli", "delete_app_passwords");
                assertThat(done.json().getInteger("appPasswordsDeleted")).isEqualTo(2);
                assertThat(calls.user("ap-eli", admin).getInteger("appPasswordCount")).isZero();
                assertThat(api.get("/api/v1/me/app-passwords", session).array("appPasswords")).isEmpty();
            }
        }
    }

    @Nested
    class BadRequests {
        @Test
        void areRefusedWithAClearErrorAndChangeNothing() {
            service.flows().createUser(admin, "bad-fin", "disabled");
            String before = service.snapshot();
            Api.Response unknownAction = act("bad-fin", "reset_everything");
            assertThat(unknownAction.status()).isEqualTo(400);
            assertThat(unknownAction.json().getString("message")).startsWith("action").contains("revoke_sessions");
            assertThat(api.post("/api/v1/admin/users/bad-fin/actions", new JsonObject().put("action", 3), admin)
                    .status()).isEqualTo(400);
            assertThat(api.post("/api/v1/admin/users/bad-fin/actions", new JsonObject(), admin).status())
                    .isEqualTo(400);
            Api.Response unknownUser = act("nobody-at-all", "revoke_sessions");
            assertThat(unknownUser.status()).isEqualTo(404);
            assertThat(unknownUser.error()).isEqualTo("not_found");
            assertThat(api.get("/api/v1/admin/users/nobody-at-all", admin).status()).isEqualTo(404);
            assertThat(service.snapshot()).isEqualTo(before);
        }
    }

    @Nested
    class TheUserPanel {
        @Test
        void showsEverythingAboutTheUserInOneAnswer() {
            service.flows().createUser(admin, "pn-gil", "enforced");
            try (TestDevice device = service.flows().registerDevice("pn-gil")) {
                JsonObject user = calls.user("PN-GIL", admin);
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
