package org.countersign.push.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Login;
import org.countersign.protocol.SignedPayloads;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ChannelProbe;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every captured secret or signed message is good once. The list, with where each property is tested:
 * <ol>
 *   <li>a captured approval replayed on its own sign-in is refused and yields no second session (here);</li>
 *   <li>a captured approval replayed on another sign-in is refused (here; a signature made for one sign-in and
 *       presented with another's body: {@code ApprovalSignatureTest.theSignatureCoversTheSignIn});</li>
 *   <li>a captured channel login replayed on a new connection is refused, as every connection has its own nonce
 *       (here; a nonce of a concurrent connection: {@code ChannelLoginTest.signedOverAnotherNonceIsClosedWith4401});</li>
 *   <li>a used activation code is refused ({@code EnrollmentTest}, "invalid_activation_code" on the second use);</li>
 *   <li>a used TOTP code is refused, and so is the older step of the window once a newer one was used
 *       ({@code TotpFallbackTest.isRefusedOnASecondSignInWithinItsWindow},
 *       {@code TotpFallbackTest.fromAnEarlierStepIsRefusedOnceALaterStepWasUsed}).</li>
 * </ol>
 */
class ReplayTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    @Test
    void aCapturedApprovalReplayedOnItsSignInIsRefusedAndYieldsNoSecondSession() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rita")) {
            Api.Response started = fixture.flows().signIn("rita");
            String id = started.string("signInId");
            ApprovalResponse captured = device.answer(device.next(ApprovalRequest.class).signInId(), Decision.APPROVE,
                    started.string("number"));
            assertThat(post(id, captured).string("state")).isEqualTo("approved");
            assertThat(fixture.api().get("/api/v1/sign-ins/" + id).string("sessionToken")).isNotNull();
            long sessions = fixture.service().count("sessions");

            Api.Response replayed = post(id, captured);

            assertThat(replayed.status()).as(replayed.toString()).isEqualTo(409);
            assertThat(replayed.error()).isEqualTo("already_decided");
            assertThat(fixture.api().get("/api/v1/sign-ins/" + id).json().containsKey("sessionToken")).isFalse();
            assertThat(fixture.service().count("sessions")).isEqualTo(sessions);
        }
    }

    @Test
    void aCapturedApprovalReplayedOnAnotherSignInIsRefused() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "ravi")) {
            Api.Response first = fixture.flows().signIn("ravi");
            ApprovalResponse captured = device.answer(first.string("signInId"), Decision.APPROVE,
                    first.string("number"));
            assertThat(post(first.string("signInId"), captured).string("state")).isEqualTo("approved");

            Api.Response second = fixture.flows().signIn("ravi");
            String secondId = second.string("signInId");
            Api.Response asIs = post(secondId, captured);
            Api.Response renamed = post(secondId, new ApprovalResponse(secondId, captured.deviceId(),
                    captured.decision(), captured.number(), captured.signature()));

            assertThat(asIs.status()).as(asIs.toString()).isEqualTo(400);
            assertThat(renamed.status()).as(renamed.toString()).isEqualTo(401);
            assertThat(renamed.error()).isEqualTo("invalid_signature");
            assertThat(fixture.api().get("/api/v1/sign-ins/" + secondId).string("state")).isEqualTo("pending");
        }
    }

    @Test
    void aCapturedChannelLoginReplayedOnANewConnectionIsRefused() throws Exception {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "rosa")) {
            String captured;
            try (ChannelProbe first = ChannelProbe.open(fixture.api(), device.deviceId())) {
                captured = new Login(device.signer().signBase64Url(
                        SignedPayloads.channelLogin(device.deviceId(), first.nonce()))).encode();
                first.send(captured);
                assertThat(first.nextText()).contains("\"ready\"");
            }
            try (ChannelProbe second = ChannelProbe.open(fixture.api(), device.deviceId())) {
                second.nonce();
                second.send(captured);
                assertThat(second.awaitClose(Duration.ofSeconds(5))).isEqualTo(4401);
            }
        }
    }

    private static Api.Response post(String signInId, ApprovalResponse response) {
        return fixture.api().post("/api/v1/sign-ins/" + signInId + "/response", response.toJson());
    }

}
