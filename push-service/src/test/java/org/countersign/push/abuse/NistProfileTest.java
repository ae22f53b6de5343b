package org.countersign.push.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.AbuseCalls;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The NIST SP 800-63B rev 4 profile: on, sign-in numbers have 6 digits, and the person must type all six. The push
 * limit and the number length are settings of their own, in GET/PUT settings.
 */
class NistProfileTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static final AbuseCalls calls = new AbuseCalls(fixture::service);

    @Test
    void aFreshInstallationHasTwoDigitsTenPushesAndTheProfileOff() {
        JsonObject settings = fixture.api().get("/api/v1/admin/settings", fixture.admin()).json();
        assertThat(settings.getInteger("numberDigits")).isEqualTo(2);
        assertThat(settings.getInteger("pushLimitPer10Minutes")).isEqualTo(10);
        assertThat(settings.getBoolean("nistProfile")).isFalse();
    }

    @Test
    void withTheProfileOnASixDigitNumberIsShownAndAllSixMustBeTyped() {
        Api.Response on = calls.putSettings(new JsonObject().put("nistProfile", true), fixture.admin());
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "nora")) {
            assertThat(on.json().getBoolean("nistProfile")).isTrue();
            assertThat(on.json().getInteger("numberDigits")).isEqualTo(6);

            Api.Response first = fixture.flows().signIn("nora");
            String number = first.string("number");
            assertThat(number).matches("[1-9][0-9]{5}");
            device.send(device.answer(device.next(ApprovalRequest.class).signInId(), Decision.APPROVE,
                    number.substring(0, 2)));
            assertThat(device.next(ApprovalResult.class).reason()).as("two digits are not enough")
                    .isEqualTo("wrong_number");

            Api.Response second = fixture.flows().signIn("nora");
            device.send(device.answer(device.next(ApprovalRequest.class).signInId(), Decision.APPROVE,
                    second.string("number")));
            assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
            assertThat(fixture.api().get("/api/v1/sign-ins/" + second.string("signInId")).string("sessionToken"))
                    .isNotNull();
        } finally {
            calls.setSettings(new JsonObject().put("nistProfile", false).put("numberDigits", 2), fixture.admin());
        }
    }

    @Test
    void fewerDigitsAreRefusedWhileTheProfileIsOn() {
        calls.setSettings(new JsonObject().put("nistProfile", true), fixture.admin());
        try {
            Api.Response refused = calls.putSettings(new JsonObject().put("numberDigits", 4), fixture.admin());
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_field");
            assertThat(refused.json().getString("message")).contains("NIST");
            assertThat(fixture.api().get("/api/v1/admin/settings", fixture.admin()).json().getInteger("numberDigits"))
                    .isEqualTo(6);
            assertThat(fixture.service().count("audit_events WHERE type = 'admin.settings_changed' "
                    + "AND detail->>'nistProfile' = 'true'")).isGreaterThanOrEqualTo(1);
        } finally {
            calls.setSettings(new JsonObject().put("nistProfile", false).put("numberDigits", 2), fixture.admin());
        }
    }

    @Test
    void aPushLimitBelowOneIsRefused() {
        Api.Response refused = calls.putSettings(new JsonObject().put("pushLimitPer10Minutes", 0), fixture.admin());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.error()).isEqualTo("invalid_field");
        assertThat(calls.putSettings(new JsonObject().put("pushLimitPer10Minutes", 50_000), fixture.admin()).json()
                .getInteger("pushLimitPer10Minutes")).isEqualTo(50_000);
        calls.setSettings(new JsonObject().put("pushLimitPer10Minutes", 10), fixture.admin());
    }
}
