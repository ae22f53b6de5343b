package org.countersign.push.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every state-changing route of the router under {@code /api/v1} and {@code /web}, called with a valid
 * {@code cs_session} cookie but without {@code X-CSRF-Token}: 403 {@code csrf_failed} as JSON, and the database as
 * before (docs/web-sessions.md). The routes come from {@code CountersignServer.newRouter()} itself, as in the fuzz
 * test, so a route added later is swept unless it is named below as one no session cookie authenticates.
 */
class CsrfSweepTest {
    /** State-changing routes that no session cookie authenticates, and what does instead. */
    private static final Map<String, String> NOT_BY_SESSION_COOKIE = Map.ofEntries(
            Map.entry("POST /api/v1/sign-ins", "the password"),
            Map.entry("POST /api/v1/sign-ins/:id/response", "the device's signature"),
            Map.entry("POST /api/v1/sign-ins/:id/totp", "the code, for API clients"),
            Map.entry("POST /api/v1/enrollments/activate", "the activation code"),
            Map.entry("POST /api/v1/legacy/sign-in", "an app password"),
            Map.entry("POST /api/v1/rp/checks", "the relying party's client secret"),
            Map.entry("POST /web/sign-in", "the password (JSON only: no cross-site form can send it)"),
            Map.entry("POST /web/sign-in/totp", "the code and the browser's cs_pending binding (SameSite=Strict)"),
            Map.entry("POST /web/sign-in/retry", "the browser's cs_pending binding (SameSite=Strict, JSON only)"),
            Map.entry("POST /web/sign-in/remember", "the browser's cs_pending binding (SameSite=Strict, JSON only)"));
    /** Bodies that the route would accept, so that only the missing token stands between it and a change. */
    private static final Map<String, JsonObject> BODIES = Map.of(
            "PUT /api/v1/admin/settings", new JsonObject().put("rememberMfaDays", 1),
            "PATCH /api/v1/admin/users/:username", new JsonObject().put("mfaState", "disabled"),
            "POST /api/v1/admin/users/:username/actions", new JsonObject().put("action", "revoke_sessions"),
            "POST /api/v1/admin/users", new JsonObject().put("username", "mallory")
                    .put("password", TestService.PASSWORD).put("mfaState", "disabled"),
            "POST /api/v1/admin/policies", new JsonObject().put("name", "Block all").put("grant", "block"),
            "POST /api/v1/me/app-passwords", new JsonObject().put("name", "Mail"));
    private static final Set<HttpMethod> CHANGING = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static TestDevice device;

    @BeforeAll
    static void aUserWithADevice() {
        device = fixture.flows().enforcedUserWithDevice(fixture.admin(), "sam");
    }

    @AfterAll
    static void closeTheDevice() {
        device.close();
    }

    @Test
    void everyCookieCallThatChangesStateIsRefusedWithoutTheTokenAndChangesNothing() {
        Set<String> declared = stateChangingRoutes();
        assertThat(declared).as("routes named as not cookie-authenticated must exist")
                .containsAll(NOT_BY_SESSION_COOKIE.keySet());
        List<String> swept = declared.stream().filter(route -> !NOT_BY_SESSION_COOKIE.containsKey(route)).toList();
        assertThat(swept).contains("POST /api/v1/me/app-passwords", "DELETE /api/v1/me/app-passwords/:id",
                "POST /api/v1/me/sign-out-everywhere", "POST /api/v1/enrollments",
                "POST /api/v1/enrollments/:id/test", "DELETE /api/v1/me/devices/:deviceId",
                "PUT /api/v1/admin/settings", "POST /api/v1/admin/users/:username/actions", "POST /web/sign-out");

        CookieBrowser user = signedIn();
        CookieBrowser admin = new CookieBrowser(fixture.api().baseUrl());
        admin.plant(SessionCookies.SESSION, fixture.flows().adminToken(), "/");
        String enrollment = fixture.api().post("/api/v1/enrollments", new JsonObject(),
                fixture.flows().signInWithPush("sam", device)).string("enrollmentId");
        Map<String, String> ids = Map.of(":username", "sam", ":deviceId", device.deviceId(), ":id", enrollment,
                ":clientId", "rp_0123456789abcdef");
        String before = fixture.service().snapshot();

        List<String> findings = new ArrayList<>();
        for (String route : swept) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            for (Map.Entry<String, String> id : ids.entrySet()) {
                path = path.replace(id.getKey(), id.getValue());
            }
            CookieBrowser browser = path.startsWith("/api/v1/admin/") ? admin : user;
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.api().baseUrl() + path));
            request = method.equals("DELETE") ? request.DELETE() : request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(
                            BODIES.getOrDefault(route, new JsonObject()).encode()));
            CookieBrowser.Answer answer = browser.send(request, null);
            boolean json = answer.header("Content-Type").orElse("").startsWith("application/json");
            if (answer.status() != 403 || !json || !"csrf_failed".equals(answer.error())
                    || answer.string("message").isBlank()) {
                findings.add(route + " answered " + answer);
            }
        }
        System.out.println("CsrfSweepTest: " + swept.size() + " cookie routes swept: " + swept);

        assertThat(findings).as("cookie calls without the CSRF token that were not refused").isEmpty();
        assertThat(fixture.service().snapshot()).as("the database after the sweep").isEqualTo(before);
        assertThat(user.get("/api/v1/me/methods").status()).as("the user's cookie still works").isEqualTo(200);
        assertThat(admin.get("/api/v1/admin/settings").status()).as("the admin's cookie still works").isEqualTo(200);
    }

    /** "METHOD path" of every POST, PUT, PATCH and DELETE endpoint under /api/v1 and /web. */
    private static Set<String> stateChangingRoutes() {
        Set<String> routes = new TreeSet<>();
        for (Route route : fixture.service().server.newRouter().getRoutes()) {
            String path = route.getPath();
            // a prefix route (such as the JSON-only check in front of every /web POST) is a filter, not an endpoint
            if (path == null || !route.isExactPath() || !(path.startsWith("/api/v1/") || path.startsWith("/web/"))) {
                continue;
            }
            Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty() ? CHANGING
                    : route.methods();
            methods.stream().filter(CHANGING::contains).forEach(method -> routes.add(method.name() + " " + path));
        }
        return routes;
    }

    private static CookieBrowser signedIn() {
        CookieBrowser browser = new CookieBrowser(fixture.api().baseUrl());
        CookieBrowser.Answer started = browser.post("/web/sign-in", new JsonObject().put("username", "sam")
                .put("password", TestService.PASSWORD));
        ApprovalRequest request = device.next(ApprovalRequest.class);
        device.send(device.answer(request.signInId(), Decision.APPROVE, started.string("number")));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        assertThat(browser.get("/web/sign-in/status?waitSeconds=5").string("state")).isEqualTo("approved");
        return browser;
    }
}
