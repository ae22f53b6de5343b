package org.countersign.push.fuzz;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends the generated requests to a running service from a few threads and checks each answer as it comes: a
 * status below 500, and on the API a JSON {@code {"error","message"}} body with every 4xx.
 */
final class HttpFuzzer {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(20);
    private static final int THREADS = 6;

    private final String baseUrl;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    HttpFuzzer(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    void run(List<FuzzRequest> requests, FuzzTally tally) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (FuzzRequest request : requests) {
                sent.add(pool.submit(() -> send(request, tally)));
            }
            for (Future<?> each : sent) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void send(FuzzRequest request, FuzzTally tally) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + request.pathAndQuery()))
                .timeout(ANSWER_WITHIN)
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        request.headers().forEach(builder::header);
        String what = request.method() + " " + abbreviate(request.pathAndQuery()) + " (" + request.credentials()
                + ", body " + (request.body() == null ? "none" : request.body().length + " bytes") + ")";
        HttpResponse<String> response;
        long started = System.nanoTime();
        try {
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            tally.timed(what, System.nanoTime() - started);
        } catch (IOException e) {
            // The service may close the connection on a body over the limit before reading it all; else a finding.
            tally.record(request.endpoint().toString(), FuzzTally.NO_ANSWER);
            if (request.body() == null || request.body().length <= 64 * 1024) {
                tally.finding("no answer to " + what + ": " + e);
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        int status = response.statusCode();
        tally.record(request.endpoint().toString(), status);
        if (status >= 500) {
            tally.finding(status + " for " + what + ": " + abbreviate(response.body()));
        } else if (status >= 400 && request.endpoint().isApi() && !isErrorJson(response)) {
            tally.finding(status + " without {error,message} JSON for " + what + ": " + abbreviate(response.body()));
        } else if (status < 300 && !request.method().equals("GET")) {
            tally.accepted(status + " for " + what + ": " + abbreviate(response.body()));
        }
    }

    private static boolean isErrorJson(HttpResponse<String> response) {
        try {
            JsonObject body = new JsonObject(response.body());
            return response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                    && body.getValue("error") instanceof String && body.getValue("message") instanceof String
                    && !body.getString("message").isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }
}
