package org.countersign.push.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The /sign-in page under the abuse limits: when no push was sent it is told why, so that it asks for a code from the
 * app, and the code still signs the person in; a request superseded by a newer one reads as such.
 */
class SignInPageAbuseTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    @Test
    void afterAFraudReportThePageIsToldToAskForACodeAndTheCodeSignsIn() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "pia")) {
            fixture.flows().signIn("pia");
            device.send(device.answer(device.next(ApprovalRequest.class).signInId(), Decision.FRAUD, null));
            assertThat(device.next(ApprovalResult.class).reason()).isEqualTo("fraud_reported");
            CookieBrowser browser = new CookieBrowser(fixture.api().baseUrl());

            CookieBrowser.Answer started = browser.post("/web/sign-in", new JsonObject().put("username", "pia")
                    .put("password", TestService.PASSWORD));

            assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
            assertThat(started.string("pushSuppressed")).isEqualTo("fraud_reported");
            assertThat(started.json().getJsonArray("methods").getList()).containsExactly("totp");
            String code = Totp.DEFAULT.codeAt(device.activation().totpSecret(), fixture.clock().instant());
            CookieBrowser.Answer signedIn = browser.post("/web/sign-in/totp", new JsonObject().put("code", code));
            assertThat(signedIn.string("state")).as(signedIn.toString()).isEqualTo("approved");
            assertThat(browser.cookie("cs_session")).isPresent();
        }
    }

    @Test
    void aRequestSupersededByAnotherBrowserReadsAsSuperseded() {
        try (TestDevice device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "pol")) {
            CookieBrowser first = new CookieBrowser(fixture.api().baseUrl());
            first.post("/web/sign-in", new JsonObject().put("username", "pol").put("password", TestService.PASSWORD));
            fixture.flows().signIn("pol");

            CookieBrowser.Answer status = first.get("/web/sign-in/status?waitSeconds=0");

            assertThat(status.string("state")).as(status.toString()).isEqualTo("expired");
            assertThat(status.string("reason")).isEqualTo("superseded");
        }
    }

    @Test
    void thePageHasTheWordsForBothCases() {
        String script = fixture.api().get("/assets/sign-in.js").body();
        assertThat(script).contains("pushSuppressed", "Use a code from your app.", "superseded");
        assertThat(fixture.api().get("/sign-in").body()).contains("id=\"totp-notice\"");
    }
}
