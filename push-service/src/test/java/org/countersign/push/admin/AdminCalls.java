package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;

/** The admin-control calls these tests make, on top of {@link Api}: PUT, raw bodies and HTTP Basic. */
final class AdminCalls {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Supplier<Api> api;

    /**
     * Calls through the client that {@code api} gives at each call, so that they can be made ready before the service
     * starts ({@code new AdminCalls(fixture::api)}).
     */
    AdminCalls(Supplier<Api> api) {
        this.api = api;
    }

    private Api api() {
        return api.get();
    }

    Api.Response put(String path, JsonObject body, String token) {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    Api.Response postBytes(String path, byte[] body, String contentType, String token) {
        HttpRequest.Builder builder = request(path, token).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    Api.Response legacySignIn(String username, String password) {
        String basic = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return legacySignInWithHeader("Basic " + basic);
    }

    Api.Response legacySignInWithHeader(String authorization) {
        HttpRequest.Builder builder = request("/api/v1/legacy/sign-in", null)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return send(builder);
    }

    Api.Response settings(JsonObject change, String admin) {
        return put("/api/v1/admin/settings", change, admin);
    }

    void setSettings(JsonObject change, String admin) {
        Api.Response response = settings(change, admin);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    Api.Response createPolicy(JsonObject body, String admin) {
        return api().post("/api/v1/admin/policies", body, admin);
    }

    /** Creates a policy and answers its id. */
    String policy(JsonObject body, String admin) {
        Api.Response created = createPolicy(body, admin);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.string("id");
    }

    static JsonObject policyBody(String name, String state, String grant, String... includeUsers) {
        return new JsonObject().put("name", name).put("state", state).put("grant", grant)
                .put("includeUsers", new JsonArray(List.of(includeUsers)));
    }

    JsonObject user(String username, String admin) {
        Api.Response response = api().get("/api/v1/admin/users/" + username, admin);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    JsonObject listed(String username, String admin) {
        Api.Response response = api().get("/api/v1/admin/users", admin);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.array("users").stream().map(JsonObject.class::cast)
                .filter(user -> user.getString("username").equals(username)).findFirst()
                .orElseThrow(() -> new AssertionError(username + " is not listed"));
    }

    Api.Response signIn(String username, String ip) {
        JsonObject body = new JsonObject().put("username", username).put("password", TestService.PASSWORD)
                .put("app", "Payroll");
        if (ip != null) {
            body.put("ip", ip);
        }
        return api().post("/api/v1/sign-ins", body);
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api().baseUrl() + path))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Api.Response send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
