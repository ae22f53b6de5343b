package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page at /admin in real headless Chromium, as an admin uses it (issue #3): signed in through the real
 * /sign-in page, then the MFA status views, the Enable quick step on two selected people, a bulk CSV with one bad
 * row that changes nothing, a lost device and one app password deleted from the user panel, a Conditional Access
 * policy named as the rule in the users list, security defaults refused while it is enabled, and the policy refused
 * while security defaults are on. Every step is checked through the API as well and leaves a screenshot under
 * target/screenshots/ (admin-NN-step.png). One browser goes through the whole story, as one admin would.
 */
@Timeout(180)
@TestMethodOrder(OrderAnnotation.class)
class AdminPageBrowserTest {
    static TestService service;
    static Api api;
    static String adminToken;
    static Chromium chrome;

    @TempDir
    static Path files;

    @BeforeAll
    static void start() {
        Chromium.assumeAvailable();
        service = TestService.start();
        api = service.api;
        adminToken = service.flows().adminToken();
        for (String[] user : new String[][] {{"alice", "enforced"}, {"bob", "disabled"}, {"carol", "disabled"},
                {"dave", "enabled"}, {"erin", "enforced"}, {"frank", "disabled"}}) {
            service.flows().createUser(adminToken, user[0], user[1]);
        }
        chrome = new Chromium(api.baseUrl(), "admin", 1280, 1100);
    }

    @AfterAll
    static void stop() {
        if (chrome != null) {
            chrome.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @AfterEach
    void pageHadNoErrors() {
        assertThat(chrome.pageProblems()).as("CSP violations or script errors").isEmpty();
    }

    @Test
    @Order(1)
    void signedOutVisitorsAreSentToSignInAndNonAdminsAreTurnedAway() {
        chrome.open("/admin");
        until(driver -> path().startsWith("/sign-in"));
        assertThat(path()).isEqualTo("/sign-in?next=/admin");

        signInWithoutMfa("frank", TestService.PASSWORD, "/admin");
        assertThat(textContains("#only-admins h1", "Only admins")).isEqualTo("Only admins can use this page");
        assertThat(isShown("#users")).isFalse();
        shot("only-admins");
        click("#sign-out");
        until(driver -> path().startsWith("/sign-in"));
    }

    @Test
    @Order(2)
    void theAdminSignsInThroughTheSignInPageAndSeesWhyEachPersonIsAskedForMfa() {
        signInWithoutMfa(TestService.ADMIN, TestService.ADMIN_PASSWORD, "/admin");
        visible("tr[data-username='alice']");
        assertThat(find("#account-name").getText()).isEqualTo(TestService.ADMIN);
        // bob is Disabled per user, yet security defaults ask him for MFA: the list says so
        WebElement bob = find("tr[data-username='bob']");
        assertThat(bob.getText()).contains("Disabled").contains("Required").contains("by Security defaults");
        assertThat(find("tr[data-username='alice']").getText())
                .contains("Enforced").contains("by Per-user MFA status (Enforced)");
        shot("users");
    }

    @Test
    @Order(3)
    void theEnforcedViewShowsOnlyEnforcedUsers() {
        new Select(find("#mfa-filter")).selectByVisibleText("Enforced");
        until(driver -> usernamesShown().equals(List.of("alice", "erin")));
        shot("filter-enforced");
        new Select(find("#mfa-filter")).selectByVisibleText("Any");
        until(driver -> usernamesShown().size() == 7);
        type("#user-search", "car");
        until(driver -> usernamesShown().equals(List.of("carol")));
        find("#user-search").clear();
        find("#user-search").sendKeys(" ");
        until(driver -> usernamesShown().size() == 7);
    }

    @Test
    @Order(4)
    void selectingTwoPeopleAndChoosingEnableEnablesBoth() {
        assertThat(find("#step-enable").isEnabled()).isFalse();
        click("tr[data-username='bob'] input[type=checkbox]");
        click("tr[data-username='carol'] input[type=checkbox]");
        assertThat(find("#selection-count").getText()).isEqualTo("2 people selected.");
        click("#step-enable");
        visible("#confirm-dialog");
        assertThat(find("#confirm-heading").getText()).isEqualTo("Enable MFA for 2 people?");
        assertThat(find("#confirm-list").getText()).contains("bob").contains("carol");
        shot("enable-confirm");
        click("#confirm-yes");
        assertThat(textContains("#users-status", "MFA status set to Enabled"))
                .isEqualTo("MFA status set to Enabled for bob and carol.");
        assertThat(find("tr[data-username='bob']").getText()).contains("Enabled")
                .contains("by Per-user MFA status (Enabled)");
        shot("enabled");

        assertThat(mfaStateOf("bob")).isEqualTo("enabled");
        assertThat(mfaStateOf("carol")).isEqualTo("enabled");
        assertThat(mfaStateOf("frank")).isEqualTo("disabled");
    }

    @Test
    @Order(5)
    void aCsvWithOneBadRowShowsTheReportAndChangesNothing() throws Exception {
        Path csv = files.resolve("mfa-update.csv");
        Files.writeString(csv, "Username,MFA Status\nalice,Disabled\nnobody,Enforced\nerin,Disabled\n",
                StandardCharsets.UTF_8);
        click("#admin-nav a[href='#bulk']");
        visible("#bulk-file").sendKeys(csv.toAbsolutePath().toString());
        click("#bulk-upload");
        String error = textContains("#bulk-error", "Nothing was changed.");
        assertThat(error).contains("1 of 3 rows has a problem");
        visible("#bulk-report");
        List<WebElement> rows = all("#bulk-rows tr");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).getAttribute("class")).contains("row-bad");
        assertThat(rows.get(1).getText()).contains("3").contains("nobody");
        assertThat(rows.get(0).getText()).contains("alice").contains("not applied");
        assertThat(find("#bulk-error").getText()).doesNotContain("{").doesNotContain("invalid_csv");
        shot("bulk-rejected", "#bulk-error");

        assertThat(mfaStateOf("alice")).isEqualTo("enforced");
        assertThat(mfaStateOf("erin")).isEqualTo("enforced");
    }

    @Test
    @Order(6)
    void aLostDeviceIsDeletedFromTheUserPanel() throws Exception {
        try (TestDevice device = service.flows().registerDevice("dave")) {
            click("#admin-nav a[href='#users']");
            settled("#users-table");
            click("tr[data-username='dave'] button");
            visible("#user-dialog");
            WebElement item = visible("li.device[data-device-id='" + device.deviceId() + "']");
            assertThat(item.getText()).contains("test phone");
            assertThat(find("#user-facts").getText()).contains("App passwords").contains("Failed MFA attempts");
            shot("user-panel");

            click("li.device[data-device-id='" + device.deviceId() + "'] button");
            visible("#confirm-dialog");
            assertThat(find("#confirm-heading").getText()).isEqualTo("Delete “test phone”?");
            click("#confirm-yes");
            assertThat(textContains("#user-dialog-status", "was deleted")).isEqualTo("“test phone” was deleted.");
            until(driver -> all("li.device").isEmpty());
            assertThat(isShown("#user-no-devices")).isTrue();
            shot("device-deleted");

            assertThat(device.awaitClose(Duration.ofSeconds(5))).isPositive();
            JsonObject devices = api.get("/api/v1/admin/users/dave/devices", adminToken).json();
            assertThat(devices.getJsonArray("devices").getJsonObject(0).getString("state")).isEqualTo("removed");
            click("#user-dialog-close");
            until(driver -> !isShown("#user-dialog"));
        }
    }

    @Test
    @Order(7)
    void oneAppPasswordIsDeletedFromTheUserPanelAndTheOthersStay() {
        service.sql("UPDATE settings SET app_passwords_allowed = true");
        try (TestDevice phone = service.flows().registerDevice("erin")) {
            String erin = service.flows().signInWithPush("erin", phone);
            String oldMail = createAppPassword(erin, "Old mail client");
            service.clock.advance(Duration.ofMinutes(1));
            String printer = createAppPassword(erin, "Scanner at the desk");

            click("#admin-nav a[href='#users']");
            settled("#users-table");
            click("tr[data-username='erin'] button");
            visible("#user-dialog");
            WebElement item = visible("li.app-password[data-app-password-id='" + oldMail + "']");
            assertThat(item.getText()).contains("Old mail client").contains("never used");
            assertThat(all("li.app-password")).hasSize(2);
            assertThat(isShown("#user-no-app-passwords")).isFalse();
            shot("app-passwords", "#user-app-passwords");

            click("li.app-password[data-app-password-id='" + oldMail + "'] button");
            visible("#confirm-dialog");
            assertThat(find("#confirm-heading").getText()).isEqualTo("Delete the app password “Old mail client”?");
            click("#confirm-yes");
            assertThat(textContains("#user-dialog-status", "was deleted"))
                    .isEqualTo("The app password “Old mail client” was deleted.");
            until(driver -> all("li.app-password").size() == 1);
            assertThat(find("li.app-password").getAttribute("data-app-password-id")).isEqualTo(printer);
            shot("app-password-deleted", "#user-app-passwords");

            JsonObject left = api.get("/api/v1/me/app-passwords", erin).json();
            assertThat(left.getJsonArray("appPasswords")).hasSize(1);
            assertThat(left.getJsonArray("appPasswords").getJsonObject(0).getString("name"))
                    .isEqualTo("Scanner at the desk");
            click("#user-dialog-close");
            until(driver -> !isShown("#user-dialog"));
        }
    }

    @Test
    @Order(8)
    void securityDefaultsAreRefusedWhileAPolicyIsEnabledWithAPlainMessage() {
        // security defaults off first (the page asks before switching them off)
        click("#admin-nav a[href='#settings']");
        WebElement defaults = visible("#security-defaults");
        until(driver -> defaults.isSelected());
        defaults.click();
        click("#settings-save");
        visible("#confirm-dialog");
        click("#confirm-yes");
        textContains("#settings-status", "Settings saved.");

        // a policy that asks everyone but the break-glass admin for MFA, enabled at once
        click("#admin-nav a[href='#policies']");
        type("#policy-name", "Require MFA for everyone");
        type("#policy-exclude", TestService.ADMIN);
        click("#policy-enable");
        click("#policy-create");
        textContains("#policies-status", "created");
        WebElement policy = visible("tr[data-policy='Require MFA for everyone']");
        assertThat(policy.getText()).contains("Enabled").contains("Everyone").contains(TestService.ADMIN)
                .contains("Require MFA");
        shot("policies");

        // the users list names the policy as the rule that asks frank (Disabled per user) for MFA
        click("#admin-nav a[href='#users']");
        settled("#users-table");
        String frank = textContains("tr[data-username='frank']", "Conditional Access policy");
        assertThat(frank).contains("Disabled").contains("Required")
                .contains("by Conditional Access policy “Require MFA for everyone”");
        assertThat(find("tr[data-username='admin']").getText()).contains("Not required");
        shot("users-policy-rule");

        // now security defaults cannot come back on: the conflict is explained in words
        click("#admin-nav a[href='#settings']");
        visible("#security-defaults").click();
        click("#settings-save");
        String message = textContains("#settings-error", "Security defaults cannot be switched on");
        assertThat(message).contains("'Require MFA for everyone'").contains("Disable it first")
                .doesNotContain("{").doesNotContain("conflict\"");
        assertThat(find("#security-defaults").isSelected()).isFalse();
        shot("security-defaults-conflict");
        assertThat(api.get("/api/v1/admin/settings", adminToken).json().getBoolean("securityDefaults")).isFalse();
    }

    @Test
    @Order(9)
    void enablingAPolicyWhileSecurityDefaultsAreOnShowsTheConflictInThePolicies() {
        // the policy off, security defaults back on
        click("#admin-nav a[href='#policies']");
        clickRendered("button[aria-label='Disable Require MFA for everyone']");
        visible("#confirm-dialog");
        click("#confirm-yes");
        textContains("#policies-status", "is now disabled");
        click("#admin-nav a[href='#settings']");
        WebElement defaults = visible("#security-defaults");
        until(driver -> !defaults.isSelected());
        defaults.click();
        click("#settings-save");
        until(driver -> api.get("/api/v1/admin/settings", adminToken).json().getBoolean("securityDefaults"));

        // now the policy cannot be enabled: the 409 is shown in words where the policies are
        click("#admin-nav a[href='#policies']");
        clickRendered("button[aria-label='Enable Require MFA for everyone']");
        visible("#confirm-dialog");
        click("#confirm-yes");
        String message = textContains("#policies-error", "cannot be enabled while security defaults are on");
        assertThat(message).contains("Switch security defaults off in the settings first").contains("Open settings")
                .doesNotContain("{").doesNotContain("conflict\"");
        assertThat(find("tr[data-policy='Require MFA for everyone']").getText()).contains("Disabled");
        shot("policy-enable-conflict");

        JsonObject policies = api.get("/api/v1/admin/policies", adminToken).json();
        assertThat(policies.getJsonArray("policies").getJsonObject(0).getString("state")).isEqualTo("disabled");
        assertThat(service.count("audit_events WHERE type = 'admin.policy_updated' AND outcome = 'refused' "
                + "AND detail->>'error' = 'conflict'")).isEqualTo(1);
    }

    @Test
    @Order(10)
    void theActivityViewFiltersAndExportsCsv() {
        click("#admin-nav a[href='#activity']");
        visible("#activity-rows tr");
        new Select(find("#activity-type")).selectByVisibleText("Admin changes");
        click("#activity-show");
        settled("#activity-table");
        // only admin events: no sign-ins, registrations or device events of the people themselves
        assertThat(script("return [...document.querySelectorAll('#activity-rows tr')].map(row => row.cells[1].textContent)"))
                .asList().isNotEmpty().noneMatch(what -> what.toString().matches("Sign-in.*|Registration.*|"
                        + "App registered|Test notification.*|Device deleted"));
        assertThat(find("#activity-rows").getText()).contains("MFA status changed").contains("Policy created");
        String href = find("#activity-export").getAttribute("href");
        assertThat(href).contains("format=csv").contains("type=admin");
        Object csv = asyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text()).then(done, e => done('x' + e));",
                href);
        assertThat(csv.toString().lines().findFirst().orElse("")).containsIgnoringCase("type");
        assertThat(csv.toString()).contains("admin.mfa_state_changed");
        assertThat(href).doesNotContain("limit=");
        shot("activity");

        // more than a page: "Older" follows the service's cursor, "Newest" goes back
        service.sql("INSERT INTO audit_events (occurred_at, type, actor, target, outcome) SELECT timestamptz "
                + "'2026-01-01T00:00:00Z' + i * interval '1 minute', 'admin.paging_check', 'admin', 'nobody', "
                + "'success' FROM generate_series(1, 250) i");
        click("#activity-show");
        settled("#activity-table");
        assertThat(textContains("#activity-status", "Showing events 1–200")).contains("Older");
        assertThat(isShown("#activity-newest")).isFalse();
        click("#activity-older");
        textContains("#activity-status", "Showing events 201–");
        settled("#activity-table");
        assertThat(all("#activity-rows tr")).isNotEmpty();
        assertThat(isShown("#activity-older")).isFalse();
        shot("activity-older");
        click("#activity-newest");
        textContains("#activity-status", "Showing events 1–200");
        assertThat(isShown("#activity-newest")).isFalse();
    }

    @Test
    @Order(11)
    void thePageFitsAPhone() {
        size(375, 812);
        try {
            click("#admin-nav a[href='#users']");
            visible("tr[data-username='alice']");
            long width = ((Number) script("return document.documentElement.scrollWidth")).longValue();
            assertThat(width).as("no sideways scrolling at 375 px").isLessThanOrEqualTo(375);
            shot("phone-users");
            shot("phone-users-list", "#users-table");
            click("#admin-nav a[href='#bulk']");
            visible("#bulk-report");
            width = ((Number) script("return document.documentElement.scrollWidth")).longValue();
            assertThat(width).isLessThanOrEqualTo(375);
            shot("phone-bulk", "#bulk-report");
        } finally {
            size(1280, 1000);
        }
    }

    // CSS-selector steps on top of Chromium (whose helpers go by id): rows are found by their data attributes.

    private static WebDriverWait waiting() {
        return new WebDriverWait(chrome.driver, Duration.ofSeconds(20));
    }

    private static <T> T until(ExpectedCondition<T> condition) {
        return waiting().until(condition);
    }

    private static WebElement find(String css) {
        return chrome.driver.findElement(By.cssSelector(css));
    }

    private static List<WebElement> all(String css) {
        return chrome.driver.findElements(By.cssSelector(css));
    }

    private static WebElement visible(String css) {
        return until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    private static void click(String css) {
        until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Clicks {@code css} in a list that may be rendered again meanwhile (opening a section reloads its list). */
    private static void clickRendered(String css) {
        until(driver -> {
            try {
                WebElement element = find(css);
                if (!element.isDisplayed() || !element.isEnabled()) {
                    return false;
                }
                element.click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return false;
            }
        });
    }

    private static void type(String css, String text) {
        WebElement field = visible(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Waits until the text of {@code css} contains {@code text}; answers its whole text. */
    private static String textContains(String css, String text) {
        until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return find(css).getText();
    }

    /** Waits until the table {@code css} has finished loading (the page marks it aria-busy meanwhile). */
    private static void settled(String css) {
        until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css + ":not([aria-busy])")));
    }

    private static boolean isShown(String css) {
        List<WebElement> found = all(css);
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    private static String path() {
        String url = chrome.driver.getCurrentUrl();
        return url.startsWith(api.baseUrl()) ? url.substring(api.baseUrl().length()) : url;
    }

    private static Object script(String script, Object... args) {
        return ((JavascriptExecutor) chrome.driver).executeScript(script, args);
    }

    private static Object asyncScript(String script, Object... args) {
        return ((JavascriptExecutor) chrome.driver).executeAsyncScript(script, args);
    }

    private static void size(int width, int height) {
        chrome.driver.manage().window().setSize(new Dimension(width, height));
    }

    /** A screenshot of the top of the page, where each section's results and messages appear. */
    private static void shot(String step) {
        script("window.scrollTo(0, 0)");
        chrome.shot(step);
    }

    /** A screenshot with {@code css} scrolled into view. */
    private static void shot(String step, String css) {
        script("document.querySelector(arguments[0]).scrollIntoView({block: 'start'})", css);
        chrome.shot(step);
    }

    /** Signs in through the real /sign-in page; within the security-defaults grace, "Skip for now" leads on. */
    private static void signInWithoutMfa(String username, String password, String next) {
        chrome.open("/sign-in?next=" + next);
        type("#username", username);
        type("#password", password);
        click("#sign-in-button");
        until(driver -> path().startsWith(next) || isShown("#register-skip"));
        if (!path().startsWith(next)) {
            click("#register-skip");
        }
        until(driver -> path().startsWith(next));
    }

    /** Creates an app password for the person whose (MFA) session is {@code session}; answers its id. */
    private static String createAppPassword(String session, String name) {
        Api.Response created = api.post("/api/v1/me/app-passwords", new JsonObject().put("name", name), session);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.string("id");
    }

    /** The usernames of the rows shown, read in one go (the list re-renders while a filter loads). */
    @SuppressWarnings("unchecked")
    private static List<String> usernamesShown() {
        return (List<String>) script("return [...document.querySelectorAll('#user-rows tr')]"
                + ".map(row => row.dataset.username);");
    }

    private static String mfaStateOf(String username) {
        Api.Response user = api.get("/api/v1/admin/users/" + username, adminToken);
        assertThat(user.status()).as(user.toString()).isEqualTo(200);
        return user.string("mfaState");
    }
}
