package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The pages of issue #4 in a real headless Chromium, with the real authenticator CLI as the phone: registration
 * through the Security info wizard, sign-in by number, a wrong number, the TOTP fallback by keyboard alone,
 * "don't ask again" and the two ways to take it back, a lost device, app passwords, and a phone-sized window.
 * Screenshots of every step go to target/screenshots/.
 */
@Timeout(180)
class WebPagesBrowserTest {
    static TestService service;
    static Api api;
    static String admin;

    @TempDir
    static Path home;

    private Chromium chrome;

    @BeforeAll
    static void start() {
        Chromium.assumeAvailable();
        service = TestService.start();
        api = service.api;
        admin = service.flows().adminToken();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @AfterEach
    void closeBrowser() {
        if (chrome != null) {
            try {
                assertThat(chrome.pageProblems()).as("CSP violations or script errors").isEmpty();
            } finally {
                chrome.close();
            }
        }
    }

    private Chromium browser(TestInfo test) {
        return browser(test, 1280, 900);
    }

    private Chromium browser(TestInfo test, int width, int height) {
        chrome = new Chromium(api.baseUrl(), test.getTestMethod().orElseThrow().getName(), width, height);
        return chrome;
    }

    @Test
    void registersTheAuthenticatorThroughTheWizardThenSignsInByNumber(TestInfo test) throws Exception {
        service.flows().createUser(admin, "amira", "enforced");
        AppRunner phone = phone("amira");
        Chromium page = browser(test);

        page.open("/sign-in");
        typePassword(page, "amira");
        page.visible("step-register");
        page.shot("registration-required");
        page.byId("register-next").click();

        page.awaitPath("/my/security-info");
        page.visible("wiz-get-app");
        assertThat(page.byId("wizard-progress").getText()).isEqualTo("Step 1 of 4");
        page.shot("wizard-get-the-app");
        page.byId("wiz-next-1").click();

        WebElement qr = page.visible("qr");
        assertThat(qr.getAttribute("alt")).isNotBlank();
        String dataUrl = qr.getAttribute("src");
        assertThat(dataUrl).startsWith("data:image/png;base64,");
        page.shot("wizard-scan-the-qr-code");
        page.byId("cant-scan").click();
        String uri = page.visible("enrollment-uri").getAttribute("value");
        assertThat(uri).startsWith("countersign://enroll?v=1&");
        page.shot("wizard-cant-scan");

        Path image = home.resolve("amira-qr.png");
        Files.write(image, Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));
        AppRunner.Run scan = phone.run("scan", image.toString(), "--device-name", "Amira's laptop", "--yes");
        assertThat(scan.exitCode()).as(scan.toString()).isZero();

        page.visible("wiz-try");
        page.awaitText("test-device", "Amira's laptop");
        String number = page.byId("test-number").getText();
        assertThat(number).matches("[1-9][0-9]");
        page.shot("wizard-lets-try-it-out");
        AppRunner.Run answered = phone.runWithInput(number + "\n", "listen", "--once");
        assertThat(answered.out()).as(answered.toString()).contains("approved");

        page.visible("wiz-done");
        page.shot("wizard-notification-approved");
        page.byId("wiz-done").click();

        page.awaitPath("/sign-in");
        typePassword(page, "amira");
        String signInNumber = page.visible("number").getText();
        page.shot("sign-in-number");
        phone.runWithInput(signInNumber + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        WebElement method = page.visible("methods").findElement(By.cssSelector("li.method"));
        assertThat(method.getText()).contains("Authenticator app").contains("Amira's laptop");
        page.shot("security-info");
    }

    @Test
    void signsInWhenTheNumberIsApprovedInTheApp(TestInfo test) {
        AppRunner phone = registeredPhone("bruno");
        Chromium page = browser(test);
        page.open("/sign-in?next=/my/security-info");
        page.visible("username");
        page.shot("password");
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
        page.shot("number-to-enter");

        AppRunner.Run answered = phone.runWithInput(number + "\n", "listen", "--once");
        assertThat(answered.out()).as(answered.toString()).contains("Countersign web").contains("approved");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        page.awaitText("account-name", "bruno");
        Map<String, Object> session = page.cookie("cs_session");
        assertThat(session).containsEntry("httpOnly", true).containsEntry("sameSite", "Strict")
                .containsEntry("path", "/");
        page.shot("signed-in");
    }

    @Test
    void aWrongNumberIsShownAsSuchAndAnotherRequestCanBeSent(TestInfo test) {
        AppRunner phone = registeredPhone("chen");
        Chromium page = browser(test);
        page.open("/sign-in");
        typePassword(page, "chen");
        String number = page.visible("number").getText();
        String wrong = number.equals("42") ? "24" : "42";
        phone.runWithInput(wrong + "\n", "listen", "--once");

        page.visible("step-outcome");
        assertThat(page.byId("outcome-title").getText()).isEqualTo("Wrong number");
        assertThat(page.byId("outcome-text").getText()).contains("didn't match");
        page.shot("wrong-number");

        page.byId("retry-button").click();
        String again = page.visible("number").getText();
        page.shot("another-request");
        phone.runWithInput(again + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
    }

    @Test
    void anExpiredRequestOffersToSendAnother(TestInfo test) {
        AppRunner phone = registeredPhone("ines");
        Chromium page = browser(test);
        page.open("/sign-in");
        typePassword(page, "ines");
        page.visible("number");
        service.clock.advance(java.time.Duration.ofSeconds(91));
        page.visible("step-outcome", java.time.Duration.ofSeconds(40));
        assertThat(page.byId("outcome-title").getText()).isEqualTo("We didn't hear from you");
        page.shot("request-expired");
        page.byId("retry-button").click();
        String number = page.visible("number").getText();
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
    }

    @Test
    void registrationCanBeSkippedDuringTheGracePeriod(TestInfo test) {
        service.flows().createUser(admin, "jonas", "disabled");   // only security defaults ask: 14 days of grace
        Chromium page = browser(test);
        page.open("/sign-in");
        typePassword(page, "jonas");
        WebElement skip = page.visible("register-skip");
        assertThat(skip.getText()).isEqualTo("Skip for now (14 days left)");
        page.shot("registration-skippable");
        skip.click();
        page.awaitPath("/my/security-info");
        page.visible("no-methods");
        page.shot("skipped-to-security-info");
    }

    @Test
    void theCodeFallbackWorksWithTheKeyboardAlone(TestInfo test) {
        AppRunner phone = registeredPhone("dara");
        Chromium page = browser(test);
        page.open("/sign-in");
        page.visible("username");
        assertThat(page.focused()).isEqualTo("username");
        page.driver.switchTo().activeElement().sendKeys("dara", Keys.TAB);
        assertThat(page.focused()).isEqualTo("password");
        page.driver.switchTo().activeElement().sendKeys(TestService.PASSWORD, Keys.ENTER);

        page.visible("number");
        for (int i = 0; i < 10 && !"use-code".equals(page.focused()); i++) {
            page.driver.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        assertThat(page.focused()).isEqualTo("use-code");
        page.driver.switchTo().activeElement().sendKeys(Keys.ENTER);

        page.visible("step-totp");
        assertThat(page.focused()).isEqualTo("code");
        page.driver.switchTo().activeElement().sendKeys("123", Keys.ENTER);
        page.awaitText("totp-error", "6-digit code");
        page.shot("code-too-short");
        String code = phone.run("code", "dara").out().lines().findFirst().orElseThrow().trim();
        WebElement field = page.driver.switchTo().activeElement();
        field.sendKeys(Keys.chord(Keys.CONTROL, "a"), code);
        page.shot("code-entered");
        field.sendKeys(Keys.ENTER);
        page.awaitPath("/my/security-info");
        page.visible("methods");
        page.shot("signed-in-with-code");
    }

    @Test
    void dontAskAgainSkipsMfaUntilSignOutEverywhereOrTheAdminRestoresIt(TestInfo test) {
        AppRunner phone = registeredPhone("emeka");
        Chromium page = browser(test);

        signInRemembering(page, phone, "emeka");
        Map<String, Object> remember = page.cookie("cs_remember");
        assertThat(remember).isNotNull().containsEntry("httpOnly", true).containsEntry("sameSite", "Strict");
        page.byId("sign-out").click();
        page.awaitPath("/sign-in");
        typePassword(page, "emeka");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        assertThat(pendingSignIns("emeka")).isZero();
        page.shot("remembered-no-mfa");

        page.byId("sign-out-everywhere").click();
        page.visible("confirm-everywhere");
        page.shot("confirm-sign-out-everywhere");
        page.byId("confirm-everywhere-yes").click();
        page.awaitPath("/sign-in");
        typePassword(page, "emeka");
        String number = page.visible("number").getText();
        page.shot("mfa-again-after-sign-out-everywhere");

        page.byId("push-remember").click();
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        page.byId("sign-out").click();
        page.awaitPath("/sign-in");

        Api.Response restored = api.post("/api/v1/admin/users/emeka/actions",
                new JsonObject().put("action", "revoke_remembered_devices"), admin);
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        typePassword(page, "emeka");
        String asked = page.visible("number").getText();
        page.shot("mfa-again-after-admin-restored-it");
        phone.runWithInput(asked + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
    }

    @Test
    void aLostDeviceIsDeletedAfterAConfirmStep(TestInfo test) {
        AppRunner phone = registeredPhone("farid");
        Chromium page = browser(test);
        page.open("/sign-in");
        typePassword(page, "farid");
        phone.runWithInput(page.visible("number").getText() + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        WebElement method = page.visible("methods").findElement(By.cssSelector("li.method"));
        method.findElement(By.tagName("button")).click();
        WebElement confirm = method.findElement(By.cssSelector(".confirm"));
        assertThat(confirm.getText()).contains("Delete the Authenticator app on Farid's phone?");
        page.shot("confirm-delete");
        confirm.findElement(By.cssSelector("button.danger")).click();
        page.visible("no-methods");
        page.shot("deleted");
        assertThat(service.sql("SELECT state FROM devices d JOIN users u ON u.id = d.user_id "
                + "WHERE u.username = 'farid'").iterator().next().getString("state")).isEqualTo("removed");
    }

    @Test
    void appPasswordsAreShownOnceAndCanBeDeleted(TestInfo test) {
        service.sql("UPDATE settings SET app_passwords_allowed = true");
        try {
            AppRunner phone = registeredPhone("greta");
            Chromium page = browser(test);
            page.open("/sign-in");
            typePassword(page, "greta");
            phone.runWithInput(page.visible("number").getText() + "\n", "listen", "--once");
            page.awaitPath("/my/security-info");
            page.visible("app-passwords");
            page.byId("app-password-name").sendKeys("Mail client", Keys.ENTER);
            String password = page.visible("new-app-password-value").getAttribute("value");
            assertThat(password).hasSizeGreaterThan(15);
            assertThat(page.byId("copy-app-password").isDisplayed()).isTrue();
            page.shot("app-password-shown-once");
            page.byId("hide-app-password").click();
            WebElement item = page.visible("app-password-list").findElement(By.cssSelector("li"));
            assertThat(item.getText()).contains("Mail client").doesNotContain(password);
            item.findElement(By.tagName("button")).click();
            new org.openqa.selenium.support.ui.WebDriverWait(page.driver, java.time.Duration.ofSeconds(10))
                    .until(driver -> page.byId("app-password-list").findElements(By.tagName("li")).isEmpty());
            page.shot("app-password-deleted");
        } finally {
            service.sql("UPDATE settings SET app_passwords_allowed = false");
        }
    }

    @Test
    void isReadableAtPhoneWidth(TestInfo test) {
        AppRunner phone = registeredPhone("hana");
        Chromium page = browser(test, 375, 812);
        page.open("/sign-in");
        page.visible("username");
        assertThat(page.fitsTheWidth()).isTrue();
        page.shot("phone-password");
        typePassword(page, "hana");
        String number = page.visible("number").getText();
        assertThat(page.fitsTheWidth()).isTrue();
        page.shot("phone-number");
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        assertThat(page.fitsTheWidth()).isTrue();
        page.shot("phone-security-info");
        page.byId("add-method").click();
        page.byId("chooser-add").click();
        page.visible("wiz-get-app");
        assertThat(page.fitsTheWidth()).isTrue();
        page.shot("phone-wizard");
    }

    // ---- helpers

    private static AppRunner phone(String username) {
        AppRunner phone = new AppRunner(home.resolve(username + ".cs"), service.clock);
        assertThat(phone.run("init").exitCode()).isZero();
        return phone;
    }

    /** A user who must use MFA, registered through the API with the real app (the wizard has its own test). */
    private static AppRunner registeredPhone(String username) {
        service.flows().createUser(admin, username, "enforced");
        AppRunner phone = phone(username);
        String registration = service.flows().signIn(username).string("sessionToken");
        Api.Response enrollment = api.post("/api/v1/enrollments", new JsonObject(), registration);
        String name = Character.toUpperCase(username.charAt(0)) + username.substring(1) + "'s phone";
        AppRunner.Run added = phone.run("add", enrollment.string("uri"), "--device-name", name);
        assertThat(added.exitCode()).as(added.toString()).isZero();
        String number = api.get("/api/v1/enrollments/" + enrollment.string("enrollmentId"), registration).json()
                .getJsonObject("testSignIn").getString("number");
        AppRunner.Run test = phone.runWithInput(number + "\n", "listen", "--once");
        assertThat(test.out()).as(test.toString()).contains("approved");
        return phone;
    }

    private static void typePassword(Chromium page, String username) {
        page.visible("username").clear();
        page.byId("username").sendKeys(username);
        page.byId("password").sendKeys(TestService.PASSWORD);
        page.byId("sign-in-button").click();
    }

    private void signInRemembering(Chromium page, AppRunner phone, String username) {
        page.open("/sign-in");
        typePassword(page, username);
        String number = page.visible("number").getText();
        page.byId("push-remember").click();
        page.shot("dont-ask-again-ticked");
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
    }

    private static long pendingSignIns(String username) {
        return service.sql("SELECT count(*) AS n FROM sign_ins s JOIN users u ON u.id = s.user_id "
                + "WHERE u.username = '" + username + "' AND s.state = 'pending'").iterator().next().getLong("n");
    }
}
