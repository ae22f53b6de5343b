package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page's Relying parties section in real headless Chromium: an admin creates a client, sees its secret
 * once, the secret works against the second-factor API, and revoking the client from the page refuses it.
 * Screenshots under target/screenshots/ (rp-NN-step.png).
 */
@Timeout(180)
class RelyingPartiesBrowserTest {
    static TestService service;
    static Api api;
    static Chromium chrome;

    @BeforeAll
    static void start() {
        Chromium.assumeAvailable();
        service = TestService.start();
        api = service.api;
        chrome = new Chromium(api.baseUrl(), "rp", 1280, 1100);
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

    @Test
    void anAdminCreatesAClientCopiesItsSecretOnceAndRevokesIt() throws Exception {
        chrome.open("/sign-in?next=/admin");
        type("username", TestService.ADMIN);
        type("password", TestService.ADMIN_PASSWORD);
        chrome.byId("sign-in-button").click();
        chrome.visible("register-skip").click();
        chrome.awaitPath("/admin");
        chrome.open("/admin#relying-parties");
        chrome.visible("rp-form");
        chrome.awaitText("rp-empty", "No clients yet");
        chrome.shot("empty");

        type("rp-name", "Payroll");
        type("rp-rate", "20");
        chrome.byId("rp-create").click();
        chrome.visible("rp-created");
        String clientId = chrome.byId("rp-created-id").getText();
        String secret = chrome.byId("rp-created-secret").getText();
        assertThat(clientId).startsWith("rp_");
        assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
        chrome.awaitText("rp-rows", "Payroll");
        assertThat(chrome.byId("rp-rows").getText()).contains(clientId).contains("20").contains("Active")
                .doesNotContain(secret);
        chrome.shot("created");

        assertThat(check(clientId, secret)).isEqualTo(404);   // authenticated: the user simply does not exist

        chrome.driver.findElement(By.cssSelector("tr[data-client='" + clientId + "'] button")).click();
        chrome.visible("confirm-dialog");
        chrome.shot("confirm-revoke");
        chrome.byId("confirm-yes").click();
        chrome.awaitText("rp-status", "Payroll is revoked");
        new WebDriverWait(chrome.driver, java.time.Duration.ofSeconds(20)).until(ExpectedConditions
                .textToBePresentInElementLocated(By.cssSelector("tr[data-client='" + clientId + "']"), "Revoked"));
        chrome.shot("revoked");

        assertThat(check(clientId, secret)).isEqualTo(401);
        assertThat(chrome.pageProblems()).as("CSP violations or script errors").isEmpty();
    }

    private static void type(String id, String text) {
        chrome.visible(id).clear();
        chrome.byId(id).sendKeys(text);
    }

    private static int check(String clientId, String secret) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/rp/checks"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "nobody")
                        .put("factor", "push").put("app", "Payroll").encode()))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
