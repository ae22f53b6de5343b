package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersign.e2e.PagesFixture.typePassword;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * {@code /sign-in} (issue #4) in a real headless Chromium, with the real authenticator CLI as the phone: the number
 * approved, a wrong number, a denial, a fraud report, an expiry, the TOTP fallback by keyboard alone, a wrong
 * password, registration with a grace period, and "don't ask again" for the days of the settings and the two ways
 * to take it back. Screenshots of every step go to target/screenshots/.
 */
@Timeout(180)
class SignInPageBrowserTest {
    @RegisterExtension
    static final PagesFixture pages = new PagesFixture();

    @Test
    void signsInWhenTheNumberIsApprovedInTheApp(TestInfo test) {
        AppRunner phone = pages.registeredPhone("bruno");
        Chromium page = pages.browser(test);
        page.open("/sign-in?next=/my/security-info");
        page.visible("username");
        pages.step(page, "password");
        typePassword(page, "bruno");

        String number = page.visible("number").getText();
        assertThat(number).matches("[1-9][0-9]");
        assertThat(page.byId("step-push").getText())
                .contains("Open your Authenticator app and enter the number shown to sign in")
                .contains("Countersign web").containsPattern("expires in 1:[0-9]{2}");
        assertThat(page.byId("push-remember-label").getText()).isEqualTo("Don't ask again for 14 days");
        URI shown = URI.create(page.driver.getCurrentUrl());
        assertThat(shown.getRawPath()).as("the number never travels in the address bar").isEqualTo("/sign-in");
        assertThat(shown.getRawQuery()).isEqualTo("next=/my/security-info");
        assertThat(shown.getRawFragment()).isNull();
        pages.step(page, "number-to-enter");

        AppRunner.Run answered = phone.runWithInput(number + "\n", "listen", "--once");
        assertThat(answered.out()).as(answered.toString()).contains("Countersign web").contains("approved");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        page.awaitText("account-name", "bruno");
        Map<String, Object> session = page.cookie("cs_session");
        assertThat(session).containsEntry("httpOnly", true).containsEntry("sameSite", "Strict")
                .containsEntry("path", "/");
        pages.step(page, "signed-in");
    }

    @Test
    void aWrongNumberIsShownAsSuchAndAnotherRequestCanBeSent(TestInfo test) {
        AppRunner phone = pages.registeredPhone("chen");
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        typePassword(page, "chen");
        String number = page.visible("number").getText();
        String wrong = number.equals("42") ? "24" : "42";
        phone.runWithInput(wrong + "\n", "listen", "--once");

        page.visible("step-outcome");
        assertThat(page.byId("outcome-title").getText()).isEqualTo("Wrong number");
        assertThat(page.byId("outcome-text").getText()).contains("didn't match");
        pages.step(page, "wrong-number");

        page.byId("retry-button").click();
        String again = page.visible("number").getText();
        pages.step(page, "another-request");
        phone.runWithInput(again + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
    }

    @Test
    void aDeniedRequestSaysSo(TestInfo test) {
        AppRunner phone = pages.registeredPhone("dalia");
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        typePassword(page, "dalia");
        page.visible("number");
        AppRunner.Run denied = phone.runWithInput("d\n", "listen", "--once");
        assertThat(denied.out()).as(denied.toString()).contains("denied");

        page.visible("step-outcome");
        assertThat(page.byId("outcome-title").getText()).isEqualTo("Request denied");
        assertThat(page.byId("outcome-text").getText())
                .isEqualTo("The sign-in request was denied in the Authenticator app.");
        assertThat(page.byId("retry-button").isDisplayed()).as("a denial may be sent again").isTrue();
        assertThat(page.focused()).isEqualTo("retry-button");
        pages.step(page, "request-denied");
    }

    @Test
    void aReportedRequestCannotBeRetried(TestInfo test) {
        AppRunner phone = pages.registeredPhone("elif");
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        typePassword(page, "elif");
        page.visible("number");
        AppRunner.Run reported = phone.run("respond", pages.pendingSignInId("elif"), "--fraud");
        assertThat(reported.exitCode()).as(reported.toString()).isZero();

        page.visible("step-outcome");
        assertThat(page.byId("outcome-title").getText()).isEqualTo("Sign-in reported");
        assertThat(page.byId("outcome-text").getText()).contains("reported in the app as not you")
                .contains("blocked");
        assertThat(page.byId("retry-button").isDisplayed()).as("Send another request").isFalse();
        assertThat(page.byId("outcome-code").isDisplayed()).isFalse();
        assertThat(page.byId("start-over").isDisplayed()).isTrue();
        assertThat(page.focused()).isEqualTo("start-over");
        pages.step(page, "request-reported");
    }

    @Test
    void anExpiredRequestOffersToSendAnother(TestInfo test) {
        AppRunner phone = pages.registeredPhone("ines");
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        typePassword(page, "ines");
        page.visible("number");
        pages.service.clock.advance(Duration.ofSeconds(91));
        page.visible("step-outcome", Duration.ofSeconds(40));
        assertThat(page.byId("outcome-title").getText()).isEqualTo("We didn't hear from you");
        pages.step(page, "request-expired");
        page.byId("retry-button").click();
        String number = page.visible("number").getText();
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
    }

    @Test
    void aWrongPasswordIsToldInAPlainSentence(TestInfo test) {
        pages.service.flows().createUser(pages.admin, "gil", "enforced");
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        typePassword(page, "gil", "not the password");
        WebElement error = page.visible("password-error");
        assertThat(error.getText()).matches("[A-Z][^{}<>]*[.!]").doesNotContain("Exception")
                .doesNotContain("error").doesNotContain("\"");
        assertThat(page.byId("step-password").isDisplayed()).isTrue();
        pages.step(page, "wrong-password");
    }

    @Test
    void registrationCanBeSkippedDuringTheGracePeriod(TestInfo test) {
        pages.service.flows().createUser(pages.admin, "jonas", "disabled");   // only security defaults ask: 14 days
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        typePassword(page, "jonas");
        WebElement skip = page.visible("register-skip");
        assertThat(skip.getText()).isEqualTo("Skip for now (14 days left)");
        pages.step(page, "registration-skippable");
        skip.click();
        page.awaitPath("/my/security-info");
        page.visible("no-methods");
        pages.step(page, "skipped-to-security-info");
    }

    @Test
    void theCodeFallbackWorksWithTheKeyboardAlone(TestInfo test) {
        AppRunner phone = pages.registeredPhone("dara");
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        page.visible("username");
        assertThat(page.focused()).isEqualTo("username");
        PagesFixture.press(page, "dara", Keys.TAB);
        assertThat(page.focused()).isEqualTo("password");
        PagesFixture.press(page, TestService.PASSWORD, Keys.ENTER);

        page.visible("number");
        PagesFixture.tabTo(page, "use-code");
        PagesFixture.press(page, Keys.ENTER);

        page.visible("step-totp");
        assertThat(page.focused()).isEqualTo("code");
        PagesFixture.press(page, "123", Keys.ENTER);
        page.awaitText("totp-error", "6-digit code");
        pages.step(page, "code-too-short");
        String code = phone.run("code", "dara").out().lines().findFirst().orElseThrow().trim();
        new Actions(page.driver).keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys(code).perform();
        pages.step(page, "code-entered");
        PagesFixture.press(page, Keys.ENTER);
        page.awaitPath("/my/security-info");
        page.visible("methods");
        pages.step(page, "signed-in-with-code");
    }

    @Test
    void dontAskAgainSkipsMfaUntilSignOutEverywhereOrTheAdminRestoresIt(TestInfo test) {
        AppRunner phone = pages.registeredPhone("emeka");
        Chromium page = pages.browser(test);

        signInRemembering(page, phone, "emeka");
        Map<String, Object> remember = page.cookie("cs_remember");
        assertThat(remember).isNotNull().containsEntry("httpOnly", true).containsEntry("sameSite", "Strict");
        page.byId("sign-out").click();
        page.awaitPath("/sign-in");
        typePassword(page, "emeka");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        assertThat(pages.pendingSignIns("emeka")).isZero();
        pages.step(page, "remembered-no-mfa");

        page.byId("sign-out-everywhere").click();
        page.visible("confirm-everywhere");
        pages.step(page, "confirm-sign-out-everywhere");
        page.byId("confirm-everywhere-yes").click();
        page.awaitPath("/sign-in");
        typePassword(page, "emeka");
        String number = page.visible("number").getText();
        pages.step(page, "mfa-again-after-sign-out-everywhere");

        page.byId("push-remember").click();
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        page.byId("sign-out").click();
        page.awaitPath("/sign-in");

        Api.Response restored = pages.api.post("/api/v1/admin/users/emeka/actions",
                new JsonObject().put("action", "revoke_remembered_devices"), pages.admin);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        typePassword(page, "emeka");
        String asked = page.visible("number").getText();
        pages.step(page, "mfa-again-after-admin-restored-it");
        phone.runWithInput(asked + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
    }

    @Test
    void dontAskAgainOffersTheDaysOfTheSettingsAndNothingAtZero(TestInfo test) {
        AppRunner phone = pages.registeredPhone("femi");
        Chromium page = pages.browser(test);
        try {
            pages.setRememberDays(7);
            page.open("/sign-in");
            typePassword(page, "femi");
            String number = page.visible("number").getText();
            assertThat(page.visible("push-remember-label").getText()).isEqualTo("Don't ask again for 7 days");
            pages.step(page, "dont-ask-again-for-7-days");
            phone.runWithInput(number + "\n", "listen", "--once");
            page.awaitPath("/my/security-info");
            page.visible("methods");
            page.byId("sign-out").click();
            page.awaitPath("/sign-in");

            pages.setRememberDays(0);
            typePassword(page, "femi");
            String again = page.visible("number").getText();
            assertThat(page.byId("push-remember-row").isDisplayed()).as("the remember row at 0 days").isFalse();
            assertThat(page.byId("push-remember").isDisplayed()).isFalse();
            pages.step(page, "no-dont-ask-again-at-0-days");
            page.byId("use-code").click();
            page.visible("step-totp");
            assertThat(page.byId("totp-remember-row").isDisplayed()).isFalse();
            page.byId("use-push").click();
            page.visible("number");
            phone.runWithInput(again + "\n", "listen", "--once");
            page.awaitPath("/my/security-info");
            page.visible("methods");
            assertThat(page.cookie("cs_remember")).as("no remember cookie at 0 days").isNull();
        } finally {
            pages.setRememberDays(14);
        }
    }

    @Test
    void theLabelCheckFindsAFieldWithoutALabel(TestInfo test) {
        Chromium page = pages.browser(test);
        page.open("/sign-in");
        page.visible("username");
        assertThat(PagesFixture.unlabelledFields(page)).isEmpty();
        ((JavascriptExecutor) page.driver).executeScript("""
                const stray = document.createElement('input');
                stray.id = 'stray';
                document.getElementById('password-form').append(stray);
                const named = document.createElement('input');
                named.setAttribute('aria-label', 'Named');
                document.getElementById('password-form').append(named);
                """);
        assertThat(PagesFixture.unlabelledFields(page)).containsExactly("stray");
    }

    private void signInRemembering(Chromium page, AppRunner phone, String username) {
        page.open("/sign-in");
        typePassword(page, username);
        String number = page.visible("number").getText();
        page.byId("push-remember").click();
        pages.step(page, "dont-ask-again-ticked");
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
    }
}
