package org.countersign.bench;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A relying party using the second-factor API ({@code POST /api/v1/rp/checks}, then the long poll
 * {@code GET /api/v1/rp/checks/{id}?waitSeconds=N}) with its client id and secret (HTTP Basic).
 */
public final class RpClient {
    private final HttpApi http;
    private final String authorization;

    public RpClient(HttpApi http, String clientId, String clientSecret) {
        this.http = http;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Asks for a push check of {@code username}; 201 carries {@code checkId} and {@code number}. */
    public Future<HttpApi.Reply> createPush(String username) {
        return http.send(HttpMethod.POST, "/api/v1/rp/checks", authorization, new JsonObject()
                .put("username", username).put("factor", "push").put("app", "Benchmark")
                .put("ip", "203.0.113.7").put("location", "Load generator"), 30_000);
    }

    /** Waits up to {@code waitSeconds} for the check to leave {@code pending}. */
    public Future<HttpApi.Reply> result(String checkId, int waitSeconds) {
        return http.send(HttpMethod.GET, "/api/v1/rp/checks/" + checkId + "?waitSeconds=" + waitSeconds,
                authorization, null, (waitSeconds + 20) * 1000L);
    }
}
