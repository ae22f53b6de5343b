package org.countersign.push.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.DeviceAdded;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A new device is an attacker's way to stay in an account (ARCHITECTURE.md §2.1): adding one when one exists needs
 * a sign-in completed with MFA, and the person's other devices are told about every addition, which is audited.
 */
class NewDeviceTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();

    @Test
    void addingADeviceWhenOneExistsNeedsASignInCompletedWithMfa() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "nia")) {
            assertThat(fixture.api().patch("/api/v1/admin/users/nia", new JsonObject().put("mfaState", "disabled"),
                    fixture.admin()).status()).isEqualTo(200);
            Api.Response passwordOnly = fixture.flows().signIn("nia");
            assertThat(passwordOnly.string("state")).isEqualTo("approved");

            Api.Response refused = fixture.api().post("/api/v1/enrollments", new JsonObject(),
                    passwordOnly.string("sessionToken"));

            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
            assertThat(refused.error()).isEqualTo("mfa_required");
            assertThat(fixture.service().count("enrollments e JOIN users u ON u.id = e.user_id "
                    + "WHERE u.username = 'nia'")).as("only the first registration").isEqualTo(1);
        }
    }

    @Test
    void theOtherDevicesAreToldAndTheAdditionIsAudited() {
        try (TestDevice first = fixture.flows().enforcedUserWithDevice(fixture.admin(), "ned");
             TestDevice second = fixture.flows().addDevice(fixture.flows().signInWithPush("ned", first))) {
            DeviceAdded notice = first.next(DeviceAdded.class);
            assertThat(notice.deviceName()).isEqualTo("test phone");
            assertThat(notice.platform()).isEqualTo("test");
            assertThat(notice.addedAt()).isEqualTo(fixture.clock().instant());

            Api.Response started = fixture.flows().signIn("ned");
            ChannelMessage firstOnNew = second.next();
            assertThat(firstOnNew).as("the new device is not told about itself").isInstanceOf(ApprovalRequest.class);
            assertThat(((ApprovalRequest) firstOnNew).signInId()).isEqualTo(started.string("signInId"));
            assertThat(fixture.service().count("audit_events WHERE type = 'device.added' AND target = 'ned' "
                    + "AND detail->>'otherDevicesNotified' = '1' AND detail->>'deviceId' = '" + second.deviceId()
                    + "'")).isEqualTo(1);
        }
    }
}
