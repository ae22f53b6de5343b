package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Removing a lost device, by an admin or by its owner, takes effect at once (ARCHITECTURE.md §2.3). */
class LostDeviceTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    private static TestDevice enforcedUserWithDevice(String username) {
        return fixture.flows().enforcedUserWithDevice(fixture.admin(), username);
    }

    private static Api.Response removeAsAdmin(TestDevice device) {
        return fixture.api().delete("/api/v1/admin/devices/" + device.deviceId(), fixture.admin());
    }

    private static Api.Response startSignIn(String username) {
        Api.Response started = fixture.flows().signIn(username);
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        return started;
    }

    private static Api.Response answerOverHttp(TestDevice device, Api.Response started, Decision decision) {
        String id = started.string("signInId");
        return fixture.api().post("/api/v1/sign-ins/" + id + "/response",
                device.answer(id, decision, decision == Decision.APPROVE ? started.string("number") : null).toJson());
    }

    @Nested
    class AnAdminRemoval {
        @Test
        void closesTheOpenChannelWithinOneSecondWith4403() throws Exception {
            try (TestDevice device = enforcedUserWithDevice("amy")) {
                Api.Response removed = removeAsAdmin(device);
                assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
                assertThat(removed.string("state")).isEqualTo("removed");
                assertThat(device.awaitClose(Duration.ofSeconds(1))).isEqualTo(4403);
                assertThat(fixture.rows().deviceState(device.deviceId())).isEqualTo("removed");
            }
        }

        @Test
        void isRecordedInTheAuditLogWithTheAdminAsActor() {
            try (TestDevice device = enforcedUserWithDevice("ben")) {
                removeAsAdmin(device);
                Row event = fixture.service().sql("SELECT actor, target, outcome, detail FROM audit_events "
                        + "WHERE type = 'device.removed' AND detail->>'deviceId' = '" + device.deviceId() + "'")
                        .iterator().next();
                assertThat(event.getString("actor")).isEqualTo(TestService.ADMIN);
                assertThat(event.getString("target")).isEqualTo("ben");
                assertThat(event.getString("outcome")).isEqualTo("success");
                assertThat(fixture.service().sql("SELECT removed_by FROM devices WHERE id = '"
                        + device.deviceId() + "'").iterator().next().getString("removed_by"))
                        .isEqualTo(TestService.ADMIN);
            }
        }

        @Test
        void refusesTheDevicesLaterHttpResponsesWith403DeviceRemoved() {
            fixture.flows().createUser(fixture.admin(), "cal", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("cal");
                 TestDevice second = fixture.flows().addDevice(fixture.flows().signInWithPush("cal", device))) {
                Api.Response started = startSignIn("cal");
                removeAsAdmin(device);

                Api.Response answer = answerOverHttp(device, started, Decision.APPROVE);

                assertThat(answer.status()).as(answer.toString()).isEqualTo(403);
                assertThat(answer.error()).isEqualTo("device_removed");
                assertThat(fixture.rows().signIn(started.string("signInId")).state()).isEqualTo("pending");
            }
        }

        @Test
        void ofTheLastDeviceDeniesThePendingSignInWithDeviceRemovedAndWakesTheWaiter() throws Exception {
            try (TestDevice device = enforcedUserWithDevice("dee")) {
                Api.Response started = startSignIn("dee");
                String id = started.string("signInId");
                CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(
                        () -> fixture.api().get("/api/v1/sign-ins/" + id + "?waitSeconds=30"));

                removeAsAdmin(device);

                Api.Response result = waiting.get(5, TimeUnit.SECONDS);
                assertThat(result.string("state")).isEqualTo("denied");
                assertThat(result.string("reason")).isEqualTo("device_removed");
                assertThat(result.json().containsKey("sessionToken")).isFalse();
                assertThat(answerOverHttp(device, started, Decision.APPROVE).status()).isEqualTo(403);
            }
        }

        @Test
        void deniesAnApprovalItGaveWhoseSessionWasNotCollectedYet() {
            fixture.flows().createUser(fixture.admin(), "dina", "enforced");
            try (TestDevice lost = fixture.flows().registerDevice("dina");
                 TestDevice kept = fixture.flows().addDevice(fixture.flows().signInWithPush("dina", lost))) {
                Api.Response started = startSignIn("dina");
                assertThat(answerOverHttp(lost, started, Decision.APPROVE).string("state")).isEqualTo("approved");

                removeAsAdmin(lost);

                Api.Response result = fixture.api().get("/api/v1/sign-ins/" + started.string("signInId"));
                assertThat(result.string("state")).as(result.toString()).isEqualTo("denied");
                assertThat(result.string("reason")).isEqualTo("device_removed");
                assertThat(result.json().containsKey("sessionToken")).isFalse();
            }
        }

        @Test
        void ofTheLastDeviceMakesTheUserRegisterAgain() {
            try (TestDevice device = enforcedUserWithDevice("eve")) {
                removeAsAdmin(device);
                Api.Response next = fixture.flows().signIn("eve");
                assertThat(next.string("state")).as(next.toString()).isEqualTo("registration_required");
                assertThat(next.json().getBoolean("skippable")).isFalse();
            }
        }

        @Test
        void ofOneOfTwoDevicesLeavesTheOtherWorking() throws Exception {
            fixture.flows().createUser(fixture.admin(), "fin", "enforced");
            try (TestDevice lost = fixture.flows().registerDevice("fin");
                 TestDevice kept = fixture.flows().addDevice(fixture.flows().signInWithPush("fin", lost))) {
                Api.Response pending = startSignIn("fin");
                kept.next(ApprovalRequest.class);

                removeAsAdmin(lost);
                assertThat(lost.awaitClose(Duration.ofSeconds(1))).isEqualTo(4403);
                assertThat(fixture.rows().signIn(pending.string("signInId")).state()).isEqualTo("pending");

                kept.send(kept.answer(pending.string("signInId"), Decision.APPROVE, pending.string("number")));
                assertThat(Rows.answerTo(kept, pending.string("signInId"))).isInstanceOf(ApprovalResult.class);
                assertThat(fixture.rows().signIn(pending.string("signInId")).state()).isEqualTo("approved");

                Api.Response next = startSignIn("fin");
                assertThat(kept.next(ApprovalRequest.class).signInId()).isEqualTo(next.string("signInId"));
            }
        }

        @Test
        void stopsTheDevicesTotpCodes() {
            fixture.flows().createUser(fixture.admin(), "gil", "enforced");
            try (TestDevice lost = fixture.flows().registerDevice("gil");
                 TestDevice kept = fixture.flows().addDevice(fixture.flows().signInWithPush("gil", lost))) {
                removeAsAdmin(lost);
                Api.Response started = startSignIn("gil");
                String code = Totp.DEFAULT.codeAt(lost.activation().totpSecret(), fixture.clock().instant());
                Api.Response answer = fixture.api().post("/api/v1/sign-ins/" + started.string("signInId") + "/totp",
                        new JsonObject().put("code", code));
                assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
                assertThat(answer.error()).isEqualTo("invalid_code");
            }
        }

        @Test
        void ofAnUnknownOrAlreadyRemovedDeviceIsNotFound() {
            try (TestDevice device = enforcedUserWithDevice("hana")) {
                assertThat(removeAsAdmin(device).status()).isEqualTo(200);
                Api.Response again = removeAsAdmin(device);
                assertThat(again.status()).isEqualTo(404);
                assertThat(again.error()).isEqualTo("not_found");
                assertThat(fixture.api().delete("/api/v1/admin/devices/" + UUID.randomUUID(), fixture.admin()).status())
                        .isEqualTo(404);
            }
        }

        @Test
        void showsTheDeviceAsRemovedInTheUsersDeviceList() {
            try (TestDevice device = enforcedUserWithDevice("ivy")) {
                removeAsAdmin(device);
                JsonObject listed = fixture.api().get("/api/v1/admin/users/ivy/devices", fixture.admin())
                        .array("devices").getJsonObject(0);
                assertThat(listed.getString("deviceId")).isEqualTo(device.deviceId());
                assertThat(listed.getString("state")).isEqualTo("removed");
                assertThat(listed.getBoolean("connected")).isFalse();
            }
        }
    }

    @Nested
    class APersonRemovingTheirOwnDevice {
        @Test
        void succeedsWithASessionThatCompletedMfa() throws Exception {
            fixture.flows().createUser(fixture.admin(), "jade", "enforced");
            try (TestDevice phone = fixture.flows().registerDevice("jade")) {
                String session = fixture.flows().signInWithPush("jade", phone);
                try (TestDevice tablet = fixture.flows().addDevice(session)) {
                    Api.Response removed = fixture.api().delete("/api/v1/me/devices/" + tablet.deviceId(), session);
                    assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
                    assertThat(tablet.awaitClose(Duration.ofSeconds(1))).isEqualTo(4403);
                    assertThat(fixture.rows().deviceState(tablet.deviceId())).isEqualTo("removed");
                    assertThat(fixture.service().sql("SELECT actor FROM audit_events WHERE type = 'device.removed' "
                            + "AND detail->>'deviceId' = '" + tablet.deviceId() + "'").iterator().next()
                            .getString("actor")).isEqualTo("jade");
                }
            }
        }

        @Test
        void isRefusedWithMfaRequiredForASessionFromTheSecurityDefaultsGrace() {
            // a disabled user under security defaults gets a full session without MFA while the grace lasts
            fixture.flows().createUser(fixture.admin(), "kai", "disabled");
            Api.Response signIn = fixture.flows().signIn("kai");
            assertThat(signIn.json().getBoolean("skippable")).as(signIn.toString()).isTrue();
            String graceSession = signIn.string("sessionToken");
            Api.Response created = fixture.api().post("/api/v1/enrollments", new JsonObject(), graceSession);
            EnrollmentUri uri = EnrollmentUri.parse(created.string("uri"));
            try (TestDevice device = TestDevice.activate(fixture.api(), uri.code()).connect()) {
                ApprovalRequest test = device.next(ApprovalRequest.class);
                String number = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), graceSession)
                        .json().getJsonObject("testSignIn").getString("number");
                device.send(device.answer(test.signInId(), Decision.APPROVE, number));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");

                Api.Response refused = fixture.api().delete("/api/v1/me/devices/" + device.deviceId(), graceSession);

                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                assertThat(refused.error()).isEqualTo("mfa_required");
                assertThat(fixture.rows().deviceState(device.deviceId())).isEqualTo("verified");
                assertThat(device.isClosed()).isFalse();
            }
        }

        @Test
        void isRefusedForARegistrationOnlySession() {
            fixture.flows().createUser(fixture.admin(), "lou", "enforced");
            Api.Response signIn = fixture.flows().signIn("lou");
            String registrationOnly = signIn.string("sessionToken");
            try (TestDevice device = fixture.flows().registerDevice("lou")) {
                Api.Response refused = fixture.api().delete("/api/v1/me/devices/" + device.deviceId(),
                        registrationOnly);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                assertThat(fixture.rows().deviceState(device.deviceId())).isEqualTo("verified");
            }
        }

        @Test
        void neverReachesSomeoneElsesDevice() {
            try (TestDevice mine = enforcedUserWithDevice("max");
                 TestDevice theirs = enforcedUserWithDevice("ned")) {
                String session = fixture.flows().signInWithPush("max", mine);
                String before = fixture.service().snapshot();

                Api.Response refused = fixture.api().delete("/api/v1/me/devices/" + theirs.deviceId(), session);

                assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
                assertThat(refused.error()).isEqualTo("not_found");
                assertThat(fixture.rows().deviceState(theirs.deviceId())).isEqualTo("verified");
                assertThat(theirs.isClosed()).isFalse();
                assertThat(fixture.service().snapshot()).isEqualTo(before);
            }
        }
    }

    @Nested
    class TheAdminApi {
        @Test
        void refusesANonAdminWith403Json() {
            try (TestDevice device = enforcedUserWithDevice("olga")) {
                String session = fixture.flows().signInWithPush("olga", device);
                for (Api.Response refused : new Api.Response[] {
                        fixture.api().get("/api/v1/admin/users", session),
                        fixture.api().get("/api/v1/admin/users/olga/devices", session),
                        fixture.api().delete("/api/v1/admin/devices/" + device.deviceId(), session),
                        fixture.api().patch("/api/v1/admin/users/olga", new JsonObject().put("mfaState", "disabled"),
                        session), fixture.api().post("/api/v1/admin/users", new JsonObject().put("username", "sneaky")
                                .put("password", "long enough password"), session)}) {
                    assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                    assertThat(refused.contentType()).startsWith("application/json");
                    assertThat(refused.error()).isEqualTo("forbidden");
                    assertThat(refused.string("message")).isNotBlank();
                }
                assertThat(fixture.rows().deviceState(device.deviceId())).isEqualTo("verified");
                assertThat(fixture.service().count("users WHERE username = 'sneaky'")).isZero();
            }
        }

        @Test
        void refusesARequestWithoutAValidTokenWith401Json() {
            for (String token : new String[] {null, "not-a-real-token", ""}) {
                for (Api.Response refused : new Api.Response[] {
                        fixture.api().get("/api/v1/admin/users", token),
                        fixture.api().delete("/api/v1/admin/devices/" + UUID.randomUUID(), token),
                        fixture.api().delete("/api/v1/me/devices/" + UUID.randomUUID(), token)}) {
                    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
                    assertThat(refused.contentType()).startsWith("application/json");
                    assertThat(refused.error()).isEqualTo("unauthenticated");
                    assertThat(refused.string("message")).isNotBlank();
                }
            }
        }
    }
}
