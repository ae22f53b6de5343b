package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.countersign.push.testing.ServiceFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every {@code /api/v1/admin/**} route the service's own router declares (read from it, as the fuzz test does, so a
 * route added later is covered without a change here) refuses a signed-in non-admin with 403 {@code forbidden} JSON,
 * and a call without a session with 401 {@code unauthenticated} JSON, before reading anything else of the request.
 */
class AdminRoutesAuthorizationTest {
    /** A well-formed id for every path parameter: the refusal must come before any lookup. */
    private static final String PARAMETER = "00000000-0000-4000-8000-000000000000";

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static String user;
    static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void aSignedInUserWhoIsNotAnAdmin() {
        fixture.flows().createUser(fixture.admin(), "walk-ida", "disabled");
        user = fixture.flows().signIn("walk-ida").string("sessionToken");
        assertThat(user).isNotNull();
    }

    /** "METHOD /path" of every admin route, path parameters filled in. */
    private static Set<String> adminRoutes() {
        Set<String> routes = new TreeSet<>();
        for (Route route : fixture.service().server.newRouter().getRoutes()) {
            String path = route.getPath();
            if (path == null || !path.startsWith("/api/v1/admin/")) {
                continue;
            }
            String filled = path.replaceAll(":[A-Za-z]+", PARAMETER);
            Set<HttpMethod> methods = route.methods();
            if (methods == null || methods.isEmpty()) {
                routes.add("GET " + filled);
                routes.add("POST " + filled);
            } else {
                methods.forEach(method -> routes.add(method.name() + " " + filled));
            }
        }
        return routes;
    }

    private static HttpResponse<String> call(String route, String token) {
        String[] parts = route.split(" ", 2);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fixture.api().baseUrl() + parts[1]))
                .timeout(Duration.ofSeconds(30));
        boolean body = Set.of("POST", "PUT", "PATCH").contains(parts[0]);
        request.method(parts[0], body ? HttpRequest.BodyPublishers.ofString("{}")
                : HttpRequest.BodyPublishers.noBody());
        if (body) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theWalkFindsTheAdminRoutes() {
        assertThat(adminRoutes()).hasSizeGreaterThanOrEqualTo(20).contains(
                "GET /api/v1/admin/users", "PUT /api/v1/admin/settings", "GET /api/v1/admin/activity",
                "DELETE /api/v1/admin/devices/" + PARAMETER,
                "DELETE /api/v1/admin/users/" + PARAMETER + "/app-passwords/" + PARAMETER);
    }

    @Test
    void everyAdminRouteRefusesANonAdminWith403ForbiddenJsonAndRecordsIt() {
        long before = fixture.service().count("audit_events WHERE type = 'admin.forbidden' AND actor = 'walk-ida'");
        Set<String> routes = adminRoutes();
        for (String route : routes) {
            HttpResponse<String> answer = call(route, user);
            assertThat(answer.statusCode()).as(route + " → " + answer.body()).isEqualTo(403);
            assertThat(answer.headers().firstValue("Content-Type").orElse("")).as(route)
                    .startsWith("application/json");
            JsonObject json = new JsonObject(answer.body());
            assertThat(json.getString("error")).as(route).isEqualTo("forbidden");
            assertThat(json.getString("message")).as(route).isNotBlank();
        }
        assertThat(fixture.service().count("audit_events WHERE type = 'admin.forbidden' AND actor = 'walk-ida'")
                - before).isEqualTo(routes.size());
    }

    @Test
    void everyAdminRouteRefusesACallWithoutASessionWith401Json() {
        for (String route : adminRoutes()) {
            HttpResponse<String> answer = call(route, null);
            assertThat(answer.statusCode()).as(route + " → " + answer.body()).isEqualTo(401);
            assertThat(new JsonObject(answer.body()).getString("error")).as(route).isEqualTo("unauthenticated");
        }
    }
}
