package org.countersign.push.rp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.countersign.push.testing.Api;

/** A relying party for tests: admin calls that create clients, and checks made with a client's Basic credentials. */
final class RpCalls {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<Api> api;

    /**
     * Calls through the client that {@code api} gives at each call, so that they can be made ready before the service
     * starts ({@code new RpCalls(fixture::api)}).
     */
    RpCalls(Supplier<Api> api) {
        this.api = api;
    }

    private Api api() {
        return api.get();
    }

    /** A client's credentials as the create answer showed them. */
    record Client(String clientId, String secret) {
        String authorization() {
            return basic(clientId + ":" + secret);
        }
    }

    /** An answer with its headers (Retry-After matters here). */
    record Response(int status, String body, HttpHeaders headers) {
        JsonObject json() {
            return new JsonObject(body);
        }

        String string(String field) {
            return json().getString(field);
        }

        String error() {
            return json().getString("error");
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    static String basic(String userPass) {
        return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    Client createClient(String adminToken, String name, int ratePerSecond) {
        Api.Response created = api().post("/api/v1/admin/rp-clients", new JsonObject().put("name", name)
                .put("ratePerSecond", ratePerSecond), adminToken);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return new Client(created.string("clientId"), created.string("clientSecret"));
    }

    Response check(Client rp, JsonObject body) {
        return check(rp.authorization(), body.encode());
    }

    Response check(String authorization, String body) {
        return send(request("/api/v1/rp/checks", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response read(Client rp, String checkId, int waitSeconds) {
        return send(request("/api/v1/rp/checks/" + checkId + "?waitSeconds=" + waitSeconds, rp.authorization()).GET());
    }

    Response get(Client rp, String pathAndQuery) {
        return send(request(pathAndQuery, rp.authorization()).GET());
    }

    /** A long poll that runs while the test goes on. */
    CompletableFuture<Response> readLater(Client rp, String checkId, int waitSeconds) {
        return client.sendAsync(request("/api/v1/rp/checks/" + checkId + "?waitSeconds=" + waitSeconds,
                        rp.authorization()).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Response(r.statusCode(), r.body(), r.headers()));
    }

    static JsonObject push(String username) {
        return new JsonObject().put("username", username).put("factor", "push").put("app", "Payroll")
                .put("ip", "203.0.113.7").put("location", "Lisbon, PT");
    }

    static JsonObject totp(String username, String code) {
        return new JsonObject().put("username", username).put("factor", "totp").put("code", code).put("app", "Payroll");
    }

    private HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api().baseUrl() + path))
                .timeout(Duration.ofSeconds(70));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
