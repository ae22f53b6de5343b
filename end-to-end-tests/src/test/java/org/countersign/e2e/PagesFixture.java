package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * What the browser tests of the end-user pages share: a service with an admin, phones (the real authenticator CLI,
 * each with its vault under a temporary home), one browser per test, and the steps every test takes. {@link #step}
 * checks that every visible field has a label before it saves the screenshot, so each pictured step is checked.
 *
 * <p>A JUnit extension ({@code @RegisterExtension static final PagesFixture pages = new PagesFixture();}): the
 * service starts before the class's tests (which are skipped without Chromium, or fail where it is required),
 * each test's browser is checked and closed after it, and the service and the phones' home go after the last test.
 */
final class PagesFixture implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    TestService service;
    Api api;
    String admin;
    private Path home;
    private Chromium chrome;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Chromium.assumeAvailable();
        home = Files.createTempDirectory("countersign-pages");
        service = TestService.start();
        api = service.api;
        admin = service.flows().adminToken();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeBrowser();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (service != null) {
                service.close();
            }
        } finally {
            if (home != null) {
                try (Stream<Path> files = Files.walk(home)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    Chromium browser(TestInfo test) {
        return browser(test, 1280, 900);
    }

    Chromium browser(TestInfo test, int width, int height) {
        chrome = new Chromium(api.baseUrl(), test.getTestMethod().orElseThrow().getName(), width, height);
        return chrome;
    }

    /** Ends the test's browser, after checking the page caused no CSP violation or script error. */
    private void closeBrowser() {
        if (chrome != null) {
            try {
                assertThat(chrome.pageProblems()).as("CSP violations or script errors").isEmpty();
            } finally {
                chrome.close();
                chrome = null;
            }
        }
    }

    // ---- steps

    /** A step of a story: every visible field must have a label; then the screenshot. */
    void step(Chromium page, String name) {
        assertThat(unlabelledFields(page)).as("visible fields without a label at step " + name).isEmpty();
        page.shot(name);
    }

    /**
     * The visible inputs, selects and text areas that no label names: neither a {@code <label>} with text, nor
     * {@code aria-label}, nor {@code aria-labelledby} pointing at text.
     */
    @SuppressWarnings("unchecked")
    static List<String> unlabelledFields(Chromium page) {
        return (List<String>) ((JavascriptExecutor) page.driver).executeScript("""
                const text = (node) => node !== null && node.textContent.trim().length > 0;
                return Array.from(document.querySelectorAll('input, select, textarea'))
                    .filter((field) => field.type !== 'hidden' && field.getClientRects().length > 0
                        && getComputedStyle(field).visibility !== 'hidden')
                    .filter((field) => !Array.from(field.labels || []).some(text)
                        && !(field.getAttribute('aria-label') || '').trim()
                        && !(field.getAttribute('aria-labelledby') || '').split(/\\s+/)
                            .some((id) => id && text(document.getElementById(id))))
                    .map((field) => field.id || field.name || field.outerHTML.slice(0, 80));
                """);
    }

    AppRunner phone(String username) {
        AppRunner phone = new AppRunner(home.resolve(username + ".cs"), service.clock);
        assertThat(phone.run("init").exitCode()).isZero();
        return phone;
    }

    /** A user who must use MFA, registered through the API with the real app (the wizard has its own test). */
    AppRunner registeredPhone(String username) {
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

    static void typePassword(Chromium page, String username) {
        typePassword(page, username, TestService.PASSWORD);
    }

    static void typePassword(Chromium page, String username, String password) {
        page.visible("username").clear();
        page.byId("username").sendKeys(username);
        page.byId("password").sendKeys(password);
        page.byId("sign-in-button").click();
    }

    /** Password, then the number approved in the app: ends on Security info. */
    static void signInByNumber(Chromium page, AppRunner phone, String username) {
        page.open("/sign-in");
        typePassword(page, username);
        AppRunner.Run answered = phone.runWithInput(page.visible("number").getText() + "\n", "listen", "--once");
        assertThat(answered.out()).as(answered.toString()).contains("approved");
        page.awaitPath("/my/security-info");
        page.visible("methods");
    }

    /** The id of the user's newest pending sign-in, which only the phone is told (never the page). */
    String pendingSignInId(String username) {
        return service.sql("SELECT s.id FROM sign_ins s JOIN users u ON u.id = s.user_id WHERE u.username = '"
                + username + "' AND s.state = 'pending' ORDER BY s.created_at DESC LIMIT 1").iterator().next()
                .getUUID("id").toString();
    }

    long pendingSignIns(String username) {
        return service.sql("SELECT count(*) AS n FROM sign_ins s JOIN users u ON u.id = s.user_id "
                + "WHERE u.username = '" + username + "' AND s.state = 'pending'").iterator().next().getLong("n");
    }

    /** "Don't ask again for N days", through the admin settings API as an admin would set it. */
    void setRememberDays(int days) {
        try {
            HttpResponse<String> changed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(api.baseUrl() + "/api/v1/admin/settings"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("rememberMfaDays", days).encode()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- the keyboard alone

    /** Presses keys on whatever has the focus, as a person at the keyboard does (no element is clicked). */
    static void press(Chromium page, CharSequence... keys) {
        new Actions(page.driver).sendKeys(keys).perform();
    }

    /** Presses Tab (or Shift+Tab) until {@code id} has the focus; fails after 30 presses. */
    static void tabTo(Chromium page, String id, boolean backwards) {
        for (int i = 0; i < 30 && !id.equals(page.focused()); i++) {
            if (backwards) {
                new Actions(page.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            } else {
                press(page, Keys.TAB);
            }
        }
        assertThat(page.focused()).as("the focus after tabbing to " + id).isEqualTo(id);
    }

    static void tabTo(Chromium page, String id) {
        tabTo(page, id, false);
    }
}
