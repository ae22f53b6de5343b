package org.countersign.push.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The calls the abuse tests make on top of {@link Api}: password attempts from a chosen address (with the answer's
 * {@code Retry-After}), settings changes, and the admin actions that clear a lockout or a push suspension.
 */
public final class AbuseCalls {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<TestService> service;

    /**
     * Calls on the service that {@code service} gives at each call, so that they can be made ready before it starts
     * ({@code new AbuseCalls(fixture::service)}).
     */
    public AbuseCalls(Supplier<TestService> service) {
        this.service = service;
    }

    private TestService service() {
        return service.get();
    }

    /** One answer: status, error code (or the state on success), and the Retry-After header ("-" when absent). */
    public record Attempt(int status, String outcome, String message, String retryAfter, JsonObject body) {
        /** Everything a client can observe, for comparing two transcripts. */
        public String observable() {
            return status + " " + outcome + " " + message + " retry-after=" + retryAfter;
        }
    }

    public Attempt signIn(String username, String password, String ip) {
        HttpResponse<String> response = service().api.postForHeaders("/api/v1/sign-ins", new JsonObject()
                .put("username", username).put("password", password).put("app", "Payroll").put("ip", ip), null);
        JsonObject body = new JsonObject(response.body());
        return new Attempt(response.statusCode(), body.getString("error", body.getString("state")),
                body.getString("message", ""), response.headers().firstValue("Retry-After").orElse("-"), body);
    }

    public Attempt wrongPassword(String username, String ip) {
        return signIn(username, "not the password", ip);
    }

    public Attempt rightPassword(String username, String ip) {
        return signIn(username, TestService.PASSWORD, ip);
    }

    public Api.Response putSettings(JsonObject change, String adminToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service().api.baseUrl() + "/api/v1/admin/settings"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(change.encode())).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code POST /api/v1/legacy/sign-in} with HTTP Basic, as an older app would. */
    public Attempt legacySignIn(String username, String password) {
        String basic = java.util.Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(service().api.baseUrl() + "/api/v1/legacy/sign-in"))
                .header("Authorization", "Basic " + basic).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonObject body = new JsonObject(response.body());
            return new Attempt(response.statusCode(), body.getString("error", "ok"), body.getString("message", ""),
                    response.headers().firstValue("Retry-After").orElse("-"), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void setSettings(JsonObject change, String adminToken) {
        Api.Response response = putSettings(change, adminToken);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    public Api.Response userAction(String username, String action, String adminToken) {
        return service().api.post("/api/v1/admin/users/" + username + "/actions",
                new JsonObject().put("action", action), adminToken);
    }

    /** The user as the admin's list shows them. */
    public JsonObject listed(String username, String adminToken) {
        return service().api.get("/api/v1/admin/users", adminToken).array("users").stream()
                .map(JsonObject.class::cast).filter(user -> user.getString("username").equals(username))
                .findFirst().orElseThrow();
    }

    /** The number of audit events of a type about a target. */
    public long audited(String type, String target) {
        return service().count("audit_events WHERE type = '" + type + "' AND target = '" + target + "'");
    }

    /**
     * Types a wrong password until {@code failures} of them were evaluated (answered 401), waiting out every
     * {@code Retry-After} on the test clock; stops early at any other answer (a lockout). Answers the transcript.
     */
    public List<Attempt> guess(String username, String ip, int failures) {
        List<Attempt> transcript = new ArrayList<>();
        int evaluated = 0;
        while (evaluated < failures) {
            Attempt attempt = wrongPassword(username, ip);
            transcript.add(attempt);
            if (attempt.status() == 429) {
                service().clock.advance(Duration.ofSeconds(Long.parseLong(attempt.retryAfter())));
            } else if (attempt.status() == 401) {
                evaluated++;
            } else {
                break;
            }
        }
        return transcript;
    }
}
