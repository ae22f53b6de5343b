package org.countersign.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Setup through the admin API, as an operator would do it (blocking; only ever called from the main thread):
 * sign in as the bootstrap admin, adjust settings, create the relying-party client.
 */
public final class AdminSetup {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private String token;

    /** The relying-party client's credentials (the secret is shown once, at creation). */
    public record RpCredentials(String clientId, String clientSecret) {
    }

    private static final int MAX_ATTEMPTS = 10;
    private static final long RETRY_AFTER_MILLIS = 1_000;

    public AdminSetup(URI base) {
        this.base = base;
    }

    /** Signs in as the admin; under security defaults the first sign-in gives a full session within the grace. */
    public void signIn(String admin, String password) throws IOException {
        JsonObject body = new JsonObject().put("username", admin).put("password", password)
                .put("app", "Benchmark setup");
        Reply reply = call("POST", "/api/v1/sign-ins", body);
        // a node just started may still be opening its database connections: it may answer 503 with Retry-After,
        // and a well-behaved client tries again after it
        for (int attempt = 1; attempt < MAX_ATTEMPTS && reply.status() == 503; attempt++) {
            ServiceNode.sleep(RETRY_AFTER_MILLIS);
            reply = call("POST", "/api/v1/sign-ins", body);
        }
        token = reply.json() == null ? null : reply.json().getString("sessionToken");
        if (reply.status() != 200 || token == null) {
            throw new IOException("admin sign-in failed: " + reply);
        }
    }

    /** PUT one setting; false (not an error) when the service does not know it, so older builds still run. */
    public boolean trySetting(String name, Object value) throws IOException {
        Reply reply = call("PUT", "/api/v1/admin/settings", new JsonObject().put(name, value));
        return reply.status() == 200;
    }

    /** Creates the relying-party client, or empty when this build has no relying-party API (404). */
    public Optional<RpCredentials> createRpClient(String name, int ratePerSecond) throws IOException {
        Reply reply = call("POST", "/api/v1/admin/rp-clients", new JsonObject().put("name", name)
                .put("ratePerSecond", ratePerSecond));
        if (reply.status() == 404 || reply.status() == 405) {
            return Optional.empty();
        }
        if (reply.status() != 201) {
            throw new IOException("creating the relying-party client failed: " + reply);
        }
        return Optional.of(new RpCredentials(reply.json().getString("clientId"),
                reply.json().getString("clientSecret")));
    }

    record Reply(int status, JsonObject json) {
    }

    private Reply call(String method, String path, JsonObject body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonObject json;
            try {
                json = response.body().isEmpty() ? new JsonObject() : new JsonObject(response.body());
            } catch (RuntimeException notJson) {
                json = new JsonObject().put("body", response.body());
            }
            return new Reply(response.statusCode(), json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
