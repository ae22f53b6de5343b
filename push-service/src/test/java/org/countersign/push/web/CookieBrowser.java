package org.countersign.push.web;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * One browser for API-level tests of the pages: keeps its cookies (path rules included) as a browser does, sends
 * JSON as the page scripts do, and adds {@code X-CSRF-Token} when told to.
 */
final class CookieBrowser {
    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient client;

    CookieBrowser(String baseUrl) {
        this(baseUrl, null);
    }

    /** A browser for an https service, trusting what {@code tls} trusts (null: the JDK's defaults). */
    CookieBrowser(String baseUrl, SSLContext tls) {
        this.baseUrl = baseUrl;
        HttpClient.Builder builder = HttpClient.newBuilder().cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.client = builder.build();
    }

    /** What the service answered, with its Set-Cookie headers as sent. */
    record Answer(int status, String body, Map<String, List<String>> headers) {
        /** Every Set-Cookie header of the answer, as sent. */
        List<String> setCookies() {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase("set-cookie"))
                    .flatMap(entry -> entry.getValue().stream()).toList();
        }

        JsonObject json() {
            return new JsonObject(body);
        }

        String string(String field) {
            return json().getString(field);
        }

        String error() {
            return json().getString("error");
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                    .flatMap(entry -> entry.getValue().stream()).findFirst();
        }

        Optional<String> setCookie(String name) {
            return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase("set-cookie"))
                    .flatMap(entry -> entry.getValue().stream()).filter(value -> value.startsWith(name + "="))
                    .findFirst();
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), null);
    }

    Answer post(String path, JsonObject body) {
        return post(path, body, null);
    }

    Answer post(String path, JsonObject body, String csrfToken) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())), csrfToken);
    }

    Answer delete(String path, String csrfToken) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), csrfToken);
    }

    Answer send(HttpRequest.Builder request, String csrfToken) {
        if (csrfToken != null) {
            request.header("X-CSRF-Token", csrfToken);
        }
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(70)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of a cookie this browser holds (whatever its path), if any. */
    Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue).findFirst();
    }

    /** Puts a cookie into this browser as if the service had set it (to replay another browser's cookie). */
    void plant(String name, String value, String path) {
        HttpCookie cookie = new HttpCookie(name, value);
        cookie.setPath(path);
        cookie.setVersion(0);
        cookies.getCookieStore().add(URI.create(baseUrl), cookie);
    }

    void forget(String name) {
        cookies.getCookieStore().getCookies().stream().filter(cookie -> cookie.getName().equals(name)).toList()
                .forEach(cookie -> cookies.getCookieStore().remove(null, cookie));
    }

    /** The CSRF token the page scripts would use, read from {@code GET /web/session}. */
    String csrfToken() {
        Answer session = get("/web/session");
        return session.json().getString("csrfToken");
    }

    private URI uri(String path) {
        return URI.create(baseUrl + path);
    }
}
