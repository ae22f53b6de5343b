package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.countersign.e2e.PagesFixture.press;
import static org.countersign.e2e.PagesFixture.signInByNumber;
import static org.countersign.e2e.PagesFixture.tabTo;
import static org.countersign.e2e.PagesFixture.typePassword;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * {@code /my/security-info} (issue #4) in a real headless Chromium, with the real authenticator CLI as the phone:
 * registration through the wizard (waiting for the app, a mistyped test number, another notification), the methods
 * with their platform and dates, a lost device, app passwords, the keyboard alone, and a phone-sized window.
 * Screenshots of every step go to target/screenshots/.
 */
@Timeout(180)
class SecurityInfoPageBrowserTest {
    @RegisterExtension
    static final PagesFixture pages = new PagesFixture();
    @TempDir
    static Path images;

    @Test
    void registersTheAuthenticatorThroughTheWizardThenSignsInByNumber(TestInfo test) throws Exception {
        pages.service.flows().createUser(pages.admin, "amira", "enforced");
        AppRunner phone = pages.phone("amira");
        Chromium page = pages.browser(test);

        page.open("/sign-in");
        typePassword(page, "amira");
        page.visible("step-register");
        pages.step(page, "registration-required");
        page.byId("register-next").click();

        page.awaitPath("/my/security-info");
        page.visible("wiz-get-app");
        assertThat(page.byId("wizard-progress").getText()).isEqualTo("Step 1 of 4");
        pages.step(page, "wizard-get-the-app");
        page.byId("wiz-next-1").click();

        WebElement qr = page.visible("qr");
        assertThat(qr.getAttribute("alt")).isNotBlank();
        String dataUrl = qr.getAttribute("src");
        assertThat(dataUrl).startsWith("data:image/png;base64,");
        assertThat(page.byId("wizard-progress").getText()).isEqualTo("Step 2 of 4");
        pages.step(page, "wizard-scan-the-qr-code");
        page.byId("cant-scan").click();
        String uri = page.visible("enrollment-uri").getAttribute("value");
        assertThat(uri).startsWith("countersign://enroll?v=1&");
        pages.step(page, "wizard-cant-scan");

        page.byId("wiz-next-2").click();
        WebElement waiting = page.visible("wiz-wait");
        assertThat(page.byId("wizard-progress").getText()).isEqualTo("Step 3 of 4");
        assertThat(waiting.getText()).contains("Waiting for the app").contains("moves on by itself");
        pages.step(page, "wizard-wait-for-the-app");

        Path image = images.resolve("amira-qr.png");
        Files.write(image, Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));
        AppRunner.Run scan = phone.run("scan", image.toString(), "--device-name", "Amira's laptop", "--yes");
        assertThat(scan.exitCode()).as(scan.toString()).isZero();

        page.visible("wiz-try");
        assertThat(page.byId("wizard-progress").getText()).isEqualTo("Step 4 of 4");
        page.awaitText("test-device", "Amira's laptop");
        String number = page.byId("test-number").getText();
        assertThat(number).matches("[1-9][0-9]");
        pages.step(page, "wizard-lets-try-it-out");
        String wrong = number.equals("42") ? "24" : "42";
        AppRunner.Run mistyped = phone.runWithInput(wrong + "\n", "listen", "--once");
        assertThat(mistyped.out()).as(mistyped.toString()).contains("denied");
        page.awaitText("try-status", "didn't match");
        assertThat(page.visible("resend-test").getText()).isEqualTo("Send another notification");
        assertThat(page.byId("test-number").isDisplayed()).isFalse();
        pages.step(page, "wizard-wrong-number");

        page.byId("resend-test").click();
        new WebDriverWait(page.driver, Duration.ofSeconds(20)).until(driver -> page.byId("test-number")
                .isDisplayed() && !page.byId("resend-test").isDisplayed()
                && page.byId("test-number").getText().matches("[1-9][0-9]"));
        String again = page.byId("test-number").getText();
        pages.step(page, "wizard-another-notification");
        AppRunner.Run answered = phone.runWithInput(again + "\n", "listen", "--once");
        assertThat(answered.out()).as(answered.toString()).contains("approved");

        page.visible("wiz-done");
        pages.step(page, "wizard-notification-approved");
        page.byId("wiz-done").click();

        page.awaitPath("/sign-in");
        typePassword(page, "amira");
        String signInNumber = page.visible("number").getText();
        pages.step(page, "sign-in-number");
        phone.runWithInput(signInNumber + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        WebElement method = page.visible("methods").findElement(By.cssSelector("li.method"));
        assertThat(method.getText()).contains("Authenticator app").contains("Amira's laptop");
        pages.step(page, "security-info");
    }

    @Test
    void aMethodShowsItsPlatformAndWhenItWasAddedAndLastUsed(TestInfo test) {
        AppRunner phone = pages.registeredPhone("kofi");
        Chromium page = pages.browser(test);
        signInByNumber(page, phone, "kofi");
        String platform = pages.service.sql("SELECT d.platform FROM devices d JOIN users u ON u.id = d.user_id "
                + "WHERE u.username = 'kofi'").iterator().next().getString("platform");
        assertThat(platform).isNotBlank();
        // the day of the service's clock, as this browser writes a date (its locale decides the order)
        String today = (String) ((JavascriptExecutor) page.driver).executeScript("return new Date(arguments[0])"
                + ".toLocaleDateString(undefined, {year: 'numeric', month: 'short', day: 'numeric'});",
                pages.service.clock.instant().toString());
        assertThat(today).contains("2026").contains("Nov").contains("23");

        WebElement method = page.visible("methods").findElement(By.cssSelector("li.method"));
        assertThat(method.findElement(By.cssSelector(".method-detail")).getText())
                .isEqualTo("Kofi's phone · " + platform);
        assertThat(method.getText()).contains("Added " + today).contains("Last used " + today)
                .doesNotContain("Not used yet");
        pages.step(page, "method-row");
    }

    @Test
    void aLostDeviceIsDeletedAfterAConfirmStep(TestInfo test) {
        AppRunner phone = pages.registeredPhone("farid");
        Chromium page = pages.browser(test);
        signInByNumber(page, phone, "farid");
        WebElement method = page.visible("methods").findElement(By.cssSelector("li.method"));
        method.findElement(By.tagName("button")).click();
        WebElement confirm = method.findElement(By.cssSelector(".confirm"));
        assertThat(confirm.getText()).contains("Delete the Authenticator app on Farid's phone?");
        pages.step(page, "confirm-delete");
        confirm.findElement(By.cssSelector("button.danger")).click();
        page.visible("no-methods");
        pages.step(page, "deleted");
        assertThat(pages.service.sql("SELECT state FROM devices d JOIN users u ON u.id = d.user_id "
                + "WHERE u.username = 'farid'").iterator().next().getString("state")).isEqualTo("removed");
    }

    @Test
    void appPasswordsAreShownOnceAndCanBeDeleted(TestInfo test) {
        pages.service.sql("UPDATE settings SET app_passwords_allowed = true");
        try {
            AppRunner phone = pages.registeredPhone("greta");
            Chromium page = pages.browser(test);
            signInByNumber(page, phone, "greta");
            page.visible("app-passwords");
            page.byId("app-password-name").sendKeys("Mail client", Keys.ENTER);
            String password = page.visible("new-app-password-value").getAttribute("value");
            assertThat(password).hasSizeGreaterThan(15);
            assertThat(page.byId("copy-app-password").isDisplayed()).isTrue();
            pages.step(page, "app-password-shown-once");
            page.byId("hide-app-password").click();
            WebElement item = page.visible("app-password-list").findElement(By.cssSelector("li"));
            assertThat(item.getText()).contains("Mail client").doesNotContain(password);
            item.findElement(By.tagName("button")).click();
            new WebDriverWait(page.driver, Duration.ofSeconds(10))
                    .until(driver -> page.byId("app-password-list").findElements(By.tagName("li")).isEmpty());
            pages.step(page, "app-password-deleted");
        } finally {
            pages.service.sql("UPDATE settings SET app_passwords_allowed = false");
        }
    }

    /** Add method → every wizard step and back, then Sign out everywhere → confirm: Tab, Enter and Space only. */
    @Test
    void worksWithTheKeyboardAlone(TestInfo test) {
        AppRunner phone = pages.registeredPhone("lena");
        Chromium page = pages.browser(test);
        signInByNumber(page, phone, "lena");

        tabTo(page, "add-method");
        press(page, Keys.ENTER);
        page.visible("chooser");
        assertThat(page.focused()).isEqualTo("method-type");
        tabTo(page, "chooser-add");
        press(page, Keys.SPACE);
        page.visible("wiz-get-app");
        assertThat(page.focused()).isEqualTo("wiz-next-1");
        pages.step(page, "keyboard-get-the-app");
        press(page, Keys.ENTER);
        page.visible("wiz-scan");
        assertThat(page.focused()).isEqualTo("wiz-next-2");

        tabTo(page, "cant-scan", true);
        press(page, Keys.ENTER);
        page.visible("manual");
        assertThat(page.focused()).isEqualTo("enrollment-uri");
        pages.step(page, "keyboard-cant-scan");
        tabTo(page, "wiz-next-2");
        press(page, Keys.SPACE);
        page.visible("wiz-wait");
        pages.step(page, "keyboard-wait-for-the-app");
        tabTo(page, "wiz-back-3");
        press(page, Keys.ENTER);
        page.visible("wiz-scan");
        assertThat(page.focused()).isEqualTo("wiz-next-2");
        tabTo(page, "wiz-back-2");
        press(page, Keys.ENTER);
        page.visible("wiz-get-app");
        tabTo(page, "wiz-cancel-1");
        press(page, Keys.ENTER);
        page.visible("overview");
        assertThat(page.focused()).as("the focus after leaving the wizard").isEqualTo("add-method");

        tabTo(page, "sign-out-everywhere");
        press(page, Keys.ENTER);
        page.visible("confirm-everywhere");
        assertThat(page.focused()).isEqualTo("confirm-everywhere-no");
        pages.step(page, "keyboard-confirm-sign-out-everywhere");
        tabTo(page, "confirm-everywhere-yes", true);
        press(page, Keys.SPACE);
        page.awaitPath("/sign-in");
        page.visible("username");
        assertThat(pages.service.sql("SELECT count(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id "
                + "WHERE u.username = 'lena' AND s.revoked_at IS NULL").iterator().next().getLong("n")).isZero();
    }

    @Test
    void isReadableAtPhoneWidth(TestInfo test) {
        AppRunner phone = pages.registeredPhone("hana");
        Chromium page = pages.browser(test, 375, 812);
        page.open("/sign-in");
        page.visible("username");
        assertThat(page.fitsTheWidth()).isTrue();
        pages.step(page, "phone-password");
        typePassword(page, "hana");
        String number = page.visible("number").getText();
        assertThat(page.fitsTheWidth()).isTrue();
        pages.step(page, "phone-number");
        phone.runWithInput(number + "\n", "listen", "--once");
        page.awaitPath("/my/security-info");
        page.visible("methods");
        assertThat(page.fitsTheWidth()).isTrue();
        pages.step(page, "phone-security-info");
        page.byId("add-method").click();
        page.byId("chooser-add").click();
        page.visible("wiz-get-app");
        assertThat(page.fitsTheWidth()).isTrue();
        pages.step(page, "phone-wizard");
    }
}
