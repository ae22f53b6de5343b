package org.countersign.push.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.countersign.protocol.Decision;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.countersign.push.testing.TrustingOnly;
import org.countersign.push.tls.SelfSignedTls;
import org.countersign.push.tls.TlsIdentity;
import org.junit.jupiter.api.Test;

/**
 * The page cookies carry {@code Secure} when the service is served over https, and only then
 * (docs/web-sessions.md): every cookie a whole page sign-in sets or clears, {@code cs_pending}, {@code cs_session}
 * and {@code cs_remember}. The device answers over HTTP, as the test's channel client would not trust the
 * self-signed certificate.
 */
class SecureCookiesTest {
    private static final Pattern SECURE = Pattern.compile("(?i);\\s*Secure\\s*(;|$)");
    private static final List<String> PAGE_COOKIES = List.of(SessionCookies.PENDING, SessionCookies.SESSION,
            SessionCookies.REMEMBER);

    @Test
    void overHttpsEveryPageCookieIsSecure() {
        TlsIdentity identity = SelfSignedTls.generate("127.0.0.1", new SecureRandom());
        try (TestService service = TestService.withTls(identity)) {
            assertThat(service.api.baseUrl()).startsWith("https://");
            List<String> cookies = cookiesOfARememberedSignIn(service, TrustingOnly.context(identity.certificate()));
            assertThat(cookies).allSatisfy(cookie -> assertThat(cookie).containsPattern(SECURE));
        }
    }

    @Test
    void overHttpNoPageCookieIsSecure() {
        try (TestService service = TestService.start()) {
            assertThat(service.api.baseUrl()).startsWith("http://");
            List<String> cookies = cookiesOfARememberedSignIn(service, null);
            assertThat(cookies).allSatisfy(cookie -> assertThat(cookie).doesNotContainPattern(SECURE));
        }
    }

    /**
     * Registers a device, signs in through {@code /web/sign-in} with "don't ask again", approves, and signs out:
     * answers every Set-Cookie header of the page's answers, after checking that all three cookies were among them.
     */
    private static List<String> cookiesOfARememberedSignIn(TestService service, SSLContext tls) {
        Api api = service.api;
        String admin = service.flows().adminToken();
        service.flows().createUser(admin, "sofia", "enforced");
        TestDevice device = registeredOverHttp(service, "sofia");

        List<String> cookies = new ArrayList<>();
        CookieBrowser browser = new CookieBrowser(api.baseUrl(), tls);
        CookieBrowser.Answer started = browser.post("/web/sign-in", new JsonObject().put("username", "sofia")
                .put("password", TestService.PASSWORD).put("rememberDevice", true));
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        cookies.addAll(started.setCookies());
        String signInId = service.sql("SELECT s.id FROM sign_ins s JOIN users u ON u.id = s.user_id WHERE "
                + "u.username = 'sofia' AND s.state = 'pending'").iterator().next().getUUID("id").toString();
        answer(api, device, signInId, started.string("number"));
        CookieBrowser.Answer approved = browser.get("/web/sign-in/status?waitSeconds=5");
        assertThat(approved.string("state")).as(approved.toString()).isEqualTo("approved");
        cookies.addAll(approved.setCookies());
        CookieBrowser.Answer out = browser.post("/web/sign-out", new JsonObject(), browser.csrfToken());
        assertThat(out.status()).as(out.toString()).isEqualTo(200);
        cookies.addAll(out.setCookies());

        assertThat(cookies).as("the cookies set and cleared")
                .allSatisfy(cookie -> assertThat(PAGE_COOKIES).anySatisfy(name -> assertThat(cookie)
                        .startsWith(name + "=")));
        for (String name : PAGE_COOKIES) {
            assertThat(cookies).as(name).anySatisfy(cookie -> assertThat(cookie).startsWith(name + "=")
                    .doesNotStartWith(name + "=;"));
        }
        return cookies;
    }

    /** Enrollment, activation and the test notification, all over HTTP(S) without the channel. */
    private static TestDevice registeredOverHttp(TestService service, String username) {
        Api api = service.api;
        String registration = service.flows().signIn(username).string("sessionToken");
        Api.Response created = api.post("/api/v1/enrollments", new JsonObject(), registration);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        TestDevice device = TestDevice.activate(api, EnrollmentUri.parse(created.string("uri")).code());
        JsonObject test = api.get("/api/v1/enrollments/" + created.string("enrollmentId"), registration).json()
                .getJsonObject("testSignIn");
        answer(api, device, test.getString("signInId"), test.getString("number"));
        return device;
    }

    private static void answer(Api api, TestDevice device, String signInId, String number) {
        Api.Response answered = api.post("/api/v1/sign-ins/" + signInId + "/response",
                device.answer(signInId, Decision.APPROVE, number).toJson());
        assertThat(answered.string("state")).as(answered.toString()).isEqualTo("approved");
    }
}
