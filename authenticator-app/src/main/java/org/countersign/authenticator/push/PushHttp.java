package org.countersign.authenticator.push;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The HTTP client settings for push services, and the one JSON POST every call goes through: timeouts on every call,
 * and the service's {@code {"error","message"}} answers turned into a {@link PushException} with its message.
 */
public final class PushHttp {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_QUOTED = 200;

    private PushHttp() {
    }

    /**
     * A client for one service: 10 s connect timeout, no redirects (a redirect would move the signed body elsewhere),
     * and the pinned TLS key as the trust anchor when the enrollment code had a pin.
     */
    public static HttpClient newClient(Optional<String> tlsPin) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        tlsPin.ifPresent(pin -> builder.sslContext(TlsPin.parse(pin).sslContext()));
        return builder.build();
    }

    /**
     * POSTs {@code body} and returns the JSON answer of a 2xx response.
     *
     * @param what the call, as it reads in an error message ("the activation")
     * @throws PushException for a refused call (the service's message), a failure on the way, or an answer that is
     *                       not JSON
     */
    static JsonObject postJson(HttpClient http, URI url, JsonObject body, String what) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new PushException("The service at " + origin(url) + " did not answer " + what + " in time.",
                    0, null, e);
        } catch (ConnectException e) {
            throw new PushException("Cannot reach the service at " + origin(url) + " (" + e.getMessage() + ").",
                    0, null, e);
        } catch (SSLException e) {
            throw new PushException("Secure connection to " + origin(url) + " failed: " + e.getMessage() + ".",
                    0, null, e);
        } catch (IOException e) {
            throw new PushException("The connection to " + origin(url) + " failed during " + what + ": "
                    + e.getMessage() + ".", 0, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PushException("Interrupted while waiting for " + what + ".", 0, null, e);
        }
        return answer(response, url, what);
    }

    private static JsonObject answer(HttpResponse<String> response, URI url, String what) {
        int status = response.statusCode();
        JsonObject json = parse(response.body());
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new PushException("The service at " + origin(url) + " answered " + what
                        + " with something that is not JSON.", status, null, null);
            }
            return json;
        }
        String error = json == null ? null : json.getString("error");
        String message = json == null ? null : json.getString("message");
        String reason = message != null ? message : error != null ? error : "HTTP " + status;
        if (status >= 400 && status < 500) {
            throw new PushException("The service refused " + what + ": " + reason, status, error, null);
        }
        throw new PushException("The service failed " + what + " (HTTP " + status + "): " + reason, status, error,
                null);
    }

    private static JsonObject parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return new JsonObject(body.length() > 1_000_000 ? body.substring(0, MAX_QUOTED) : body);
        } catch (DecodeException e) {
            return null;
        }
    }

    /** {@code scheme://host[:port]} of a URL: where a service lives, without paths that may carry ids. */
    static URI origin(URI url) {
        return URI.create(url.getScheme() + "://" + url.getHost() + (url.getPort() == -1 ? "" : ":" + url.getPort()));
    }
}
