package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Base64;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DeviceSigner;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed answers (ARCHITECTURE.md §3.2): the service rebuilds the signed string from its own records, so a
 * signature counts only for its device, its sign-in, its decision and its number.
 */
class ApprovalSignatureTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static TestDevice victim;
    static TestDevice mallory;

    @BeforeAll
    static void twoUsersWithDevices() {
        fixture.flows().createUser(fixture.admin(), "victor", "enforced");
        fixture.flows().createUser(fixture.admin(), "mallory", "enforced");
        victim = fixture.flows().registerDevice("victor");
        mallory = fixture.flows().registerDevice("mallory");
    }

    @AfterAll
    static void closeTheDevices() {
        victim.close();
        mallory.close();
    }

    private static Api.Response startSignIn() {
        Api.Response started = fixture.flows().signIn("victor");
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        return started;
    }

    private static Api.Response post(String signInId, ApprovalResponse response) {
        return post(signInId, response.toJson());
    }

    private static Api.Response post(String signInId, JsonObject body) {
        return fixture.api().post("/api/v1/sign-ins/" + signInId + "/response", body);
    }

    private static void assertStillPending(String signInId) {
        assertThat(fixture.rows().signIn(signInId).state()).isEqualTo("pending");
    }

    /** An older sign-in of the same user, superseded by the newer one, and not decided by the refused answer. */
    private static void assertSuperseded(String signInId) {
        assertThat(fixture.rows().signIn(signInId).state()).isEqualTo("expired");
        assertThat(fixture.rows().signIn(signInId).reason()).isEqualTo("superseded");
    }

    @Nested
    class OverHttp {
        @Test
        void aResponseSignedWithAnotherDevicesKeyIsRefusedAndTheSignInStaysPending() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            ApprovalResponse forged = ApprovalResponse.sign(id, victim.deviceId(), Decision.APPROVE,
                    started.string("number"), mallory.signer());
            String before = fixture.service().snapshot();

            Api.Response answer = post(id, forged);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertThat(answer.error()).isEqualTo("invalid_signature");
            assertStillPending(id);
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }

        @Test
        void aResponseSignedWithAFreshUnregisteredKeyIsRefused() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            DeviceSigner stranger = DeviceSigner.generate(new SecureRandom());
            Api.Response answer = post(id, ApprovalResponse.sign(id, victim.deviceId(), Decision.APPROVE,
                    started.string("number"), stranger));
            assertThat(answer.status()).isEqualTo(401);
            assertStillPending(id);
        }

        @Test
        void everyFlippedByteOfAValidSignatureIsRefusedAndTheUntouchedOneAccepted() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            ApprovalResponse valid = victim.answer(id, Decision.APPROVE, started.string("number"));
            byte[] signature = Base64.getUrlDecoder().decode(valid.signature());
            assertThat(signature).hasSize(64);
            String before = fixture.service().snapshot();

            for (int i = 0; i < signature.length; i++) {
                byte[] flipped = signature.clone();
                flipped[i] ^= 0x01;
                ApprovalResponse tampered = new ApprovalResponse(id, victim.deviceId(), Decision.APPROVE,
                        started.string("number"), Base64.getUrlEncoder().withoutPadding().encodeToString(flipped));
                Api.Response answer = post(id, tampered);
                assertThat(answer.status()).as("byte %d flipped: %s", i, answer).isEqualTo(401);
                assertThat(answer.error()).isEqualTo("invalid_signature");
            }
            assertThat(fixture.service().snapshot()).isEqualTo(before);

            Api.Response answer = post(id, valid);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
            assertThat(answer.string("state")).isEqualTo("approved");
        }

        @Test
        void aTruncatedExtendedOrGarbageSignatureIsRefused() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            String valid = victim.answer(id, Decision.APPROVE, started.string("number")).signature();
            for (String signature : new String[] {valid.substring(0, valid.length() - 2), valid + "AA",
                    "not base64 at all!", "AAAA", valid.replace('A', 'B').replace('-', '_')}) {
                if (signature.equals(valid)) {
                    continue;
                }
                JsonObject body = victim.answer(id, Decision.APPROVE, started.string("number")).toJson()
                        .put("signature", signature);
                Api.Response answer = post(id, body);
                assertThat(answer.status()).as(signature + " → " + answer).isBetween(400, 401);
            }
            assertStillPending(id);
        }

        @Test
        void aSignatureMadeForDenyCannotBeReplayedAsAnApproval() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            ApprovalResponse deny = victim.answer(id, Decision.DENY, null);
            ApprovalResponse replayed = new ApprovalResponse(id, victim.deviceId(), Decision.APPROVE,
                    started.string("number"), deny.signature());

            Api.Response answer = post(id, replayed);

            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertStillPending(id);
        }

        @Test
        void aSignatureMadeForDenyCannotBeReplayedAsAFraudReport() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            ApprovalResponse deny = victim.answer(id, Decision.DENY, null);
            Api.Response answer = post(id, new ApprovalResponse(id, victim.deviceId(), Decision.FRAUD, null,
                    deny.signature()));
            assertThat(answer.status()).isEqualTo(401);
            assertStillPending(id);
        }

        @Test
        void theSignatureCoversTheNumber() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            String number = started.string("number");
            String other = number.equals("42") ? "43" : "42";
            ApprovalResponse forOther = victim.answer(id, Decision.APPROVE, other);
            Api.Response answer = post(id, new ApprovalResponse(id, victim.deviceId(), Decision.APPROVE, number,
                    forOther.signature()));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertStillPending(id);
        }

        @Test
        void theSignatureCoversTheSignIn() {
            Api.Response first = startSignIn();
            Api.Response second = startSignIn();
            String firstId = first.string("signInId");
            String secondId = second.string("signInId");
            ApprovalResponse forFirst = victim.answer(firstId, Decision.APPROVE, second.string("number"));
            Api.Response answer = post(secondId, new ApprovalResponse(secondId, victim.deviceId(), Decision.APPROVE,
                    second.string("number"), forFirst.signature()));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(401);
            assertStillPending(secondId);
            assertSuperseded(firstId);
        }

        @Test
        void aBodyNamingAnotherSignInThanTheAddressIsRefused() {
            Api.Response first = startSignIn();
            Api.Response second = startSignIn();
            ApprovalResponse forFirst = victim.answer(first.string("signInId"), Decision.APPROVE,
                    first.string("number"));
            Api.Response answer = post(second.string("signInId"), forFirst);
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertSuperseded(first.string("signInId"));
            assertStillPending(second.string("signInId"));
        }

        @Test
        void aCorrectlySignedResponseFromAnotherUsersDeviceIsNotFoundAndChangesNothing() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            String before = fixture.service().snapshot();

            Api.Response answer = post(id, mallory.answer(id, Decision.APPROVE, started.string("number")));

            assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
            assertThat(answer.error()).isEqualTo("not_found");
            assertStillPending(id);
            assertThat(fixture.service().snapshot()).isEqualTo(before);

            Api.Response denied = post(id, mallory.answer(id, Decision.DENY, null));
            assertThat(denied.status()).isEqualTo(404);
            assertStillPending(id);
        }

        @Test
        void anUnknownDeviceIdIsRefused() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            String unknown = java.util.UUID.randomUUID().toString();
            Api.Response answer = post(id, ApprovalResponse.sign(id, unknown, Decision.APPROVE,
                    started.string("number"), victim.signer()));
            assertThat(answer.status()).as(answer.toString()).isBetween(400, 404);
            assertStillPending(id);
        }
    }

    @Nested
    class OverTheChannel {
        @Test
        void aResponseNamingAnotherDeviceThanTheLoggedInOneIsAnErrorFrameAndChangesNothing() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            String before = fixture.service().snapshot();

            // mallory's channel carries a correctly signed answer of mallory's... for the victim's device id
            mallory.send(ApprovalResponse.sign(id, victim.deviceId(), Decision.APPROVE, started.string("number"),
                    victim.signer()));
            ChannelMessage reply = Rows.answerTo(mallory, id);

            assertThat(reply).isInstanceOf(ChannelError.class);
            assertThat(((ChannelError) reply).error()).isEqualTo("forbidden");
            assertStillPending(id);
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }

        @Test
        void aResponseFromAnotherUsersDeviceOnItsOwnChannelIsNotFound() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            mallory.send(mallory.answer(id, Decision.APPROVE, started.string("number")));
            ChannelMessage reply = Rows.answerTo(mallory, id);
            assertThat(reply).isInstanceOf(ChannelError.class);
            assertThat(((ChannelError) reply).error()).isEqualTo("not_found");
            assertStillPending(id);
        }

        @Test
        void aForgedSignatureIsAnErrorFrameAndTheChannelStaysUsable() {
            Api.Response started = startSignIn();
            String id = started.string("signInId");
            victim.send(ApprovalResponse.sign(id, victim.deviceId(), Decision.APPROVE, started.string("number"),
                    mallory.signer()));
            ChannelMessage reply = Rows.answerTo(victim, id);
            assertThat(reply).isInstanceOf(ChannelError.class);
            assertThat(((ChannelError) reply).error()).isEqualTo("invalid_signature");
            assertStillPending(id);

            victim.send(victim.answer(id, Decision.APPROVE, started.string("number")));
            assertThat(Rows.answerTo(victim, id).toJson().getString("state")).isEqualTo("approved");
        }
    }
}
