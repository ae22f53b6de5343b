package org.countersign.push.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.countersign.push.ApiError;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Which requests the latency rule measures and which it refuses, through a real router on a real socket. Each
 * route moves the admission's clock by the time it "takes", so latencies are exact and the outcome does not depend
 * on the machine: {@code /api/slow} takes 60 ms against a target of 20 ms.
 */
class LatencySheddingTest {
    private static final Duration TARGET = Duration.ofMillis(20);
    private static final long TAKES = Duration.ofMillis(60).toNanos();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger started = new AtomicInteger();
    private final List<Runnable> held = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private AdmissionControl admission;
    private String base;
    private int port;

    @BeforeEach
    void serve() {
        start(TARGET);
    }

    @AfterEach
    void stop() {
        TestService.await(vertx.close());
    }

    @Nested
    class AStandingQueue {
        @Test
        void refusesNewWorkBeforeReadingItsBodyAndServesTheNextRequestOnTheSameConnection() throws Exception {
            standingQueue();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                out.write(ascii("POST /api/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 16\r\n\r\n{\"user\":"));
                out.flush();
                String refused = readResponse(in);
                assertThat(refused).as("answered before the body is complete").startsWith("HTTP/1.1 503");
                assertThat(refused).contains("\"error\":\"overloaded\"").containsIgnoringCase("retry-after: 1");

                out.write(ascii("\"ann\"}  GET /api/fast HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
                out.flush();
                assertThat(readResponse(in)).as("the connection goes on").startsWith("HTTP/1.1 200");
            }
            assertThat(started).hasValue(0);
        }

        @Test
        void refusesNewWorkAtOnceWithRetryAfter() throws Exception {
            standingQueue();
            HttpResponse<String> refused = post("/api/start");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            JsonObject body = new JsonObject(refused.body());
            assertThat(body.getString("error")).isEqualTo("overloaded");
            assertThat(body.getString("message")).isNotBlank();
            assertThat(started).as("the route never ran").hasValue(0);
            assertThat(admission.shedNewWork()).isEqualTo(1);
            assertThat(admission.refusedOverBound()).isZero();
        }

        @Test
        void stillServesRequestsThatFinishAdmittedWork() throws Exception {
            standingQueue();
            assertThat(get("/api/slow").statusCode()).isEqualTo(200);
            assertThat(get("/api/fast?waitSeconds=30").statusCode()).as("a long poll").isEqualTo(200);
            assertThat(post("/api/start").statusCode()).as("still a queue").isEqualTo(503);
        }

        @Test
        void endsWithOneFastAnswer() throws Exception {
            standingQueue();
            assertThat(get("/api/fast").statusCode()).isEqualTo(200);
            assertThat(post("/api/start").statusCode()).isEqualTo(201);
        }

        @Test
        void endsWhenNothingElseIsBeingServed() throws Exception {
            standingQueue();
            held.forEach(Runnable::run);
            awaitInFlight(0);
            assertThat(post("/api/start").statusCode()).isEqualTo(201);
        }
    }

    @Nested
    class NotSamples {
        @Test
        void longPollsFailuresAndPasswordHashingAreNotTakenForAQueue() throws Exception {
            holdOne();
            for (int i = 0; i < 4; i++) {
                assertThat(get("/api/slow?waitSeconds=10").statusCode()).isEqualTo(200);
                assertThat(get("/api/slow-failure").statusCode()).isEqualTo(400);
                assertThat(post("/api/password").statusCode()).isEqualTo(200);
                assertThat(get("/slow-page").statusCode()).isEqualTo(200);
            }
            assertThat(post("/api/start").statusCode()).isEqualTo(201);
        }

        @Test
        void refusedRequestsAreNotSamplesEither() throws Exception {
            standingQueue();
            for (int i = 0; i < 3; i++) {
                assertThat(post("/api/start").statusCode()).isEqualTo(503);
            }
            assertThat(get("/api/fast").statusCode()).isEqualTo(200);
            assertThat(post("/api/start").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aBurstShorterThanTheIntervalRefusesNothing() throws Exception {
        holdOne();
        get("/api/slow");
        get("/api/slow");
        assertThat(post("/api/start").statusCode()).as("slow for 60 ms only").isEqualTo(201);
    }

    @Test
    void aZeroTargetTurnsTheRuleOff() throws Exception {
        stop();
        start(Duration.ZERO);
        holdOne();
        for (int i = 0; i < 5; i++) {
            get("/api/slow");
        }
        assertThat(post("/api/start").statusCode()).isEqualTo(201);
        assertThat(admission.latencyTarget()).isEmpty();
    }

    private void start(Duration target) {
        vertx = Vertx.vertx();
        admission = new AdmissionControl(16, 16, target, nanos::get);
        Router router = Router.router(vertx);
        router.route().handler(admission);
        router.route().handler(admission.bodyReceived());
        router.get("/api/slow").handler(ctx -> answerAfter(ctx, TAKES, 200));
        router.get("/api/fast").handler(ctx -> answerAfter(ctx, 0, 200));
        router.get("/api/slow-failure").handler(ctx -> {
            nanos.addAndGet(TAKES);
            ctx.fail(ApiError.badRequest("invalid_field", "A slow refusal."));
        });
        router.get("/slow-page").handler(ctx -> answerAfter(ctx, TAKES, 200));
        router.post("/api/password").handler(AdmissionControl.hashesAPassword())
                .handler(ctx -> answerAfter(ctx, TAKES, 200));
        // as in the service, bodies are read after admission (a refusal before it reads none)
        router.route().handler(BodyHandler.create(false));
        admission.newWork(router, "/api/start").handler(ctx -> {
            started.incrementAndGet();
            answerAfter(ctx, 0, 201);
        });
        router.get("/api/hold").handler(ctx -> {
            Context context = Vertx.currentContext();
            held.add(() -> context.runOnContext(v -> ctx.response().end("{}")));
        });
        router.route().failureHandler(new FailureHandler());
        HttpServer server = TestService.await(vertx.createHttpServer().requestHandler(router).listen(0));
        port = server.actualPort();
        base = "http://127.0.0.1:" + port;
    }

    private void answerAfter(RoutingContext ctx, long nanosTaken, int status) {
        nanos.addAndGet(nanosTaken);
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end("{}");
    }

    /** One request the node goes on serving, so that the queue is not empty. */
    private CompletableFuture<HttpResponse<String>> holdOne() throws InterruptedException {
        int before = admission.inFlight();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request("/api/hold").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        awaitInFlight(before + 1);
        return answer;
    }

    /** Slow answers for more than an interval (60 ms each), while another request is served. */
    private void standingQueue() throws Exception {
        holdOne();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/slow").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** One HTTP/1.1 response: its head, a blank line and a body of its Content-Length. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    }

    /** Waits (boundedly) until the node serves exactly {@code count} requests. */
    private void awaitInFlight(int count) throws InterruptedException {
        for (int attempt = 0; attempt < 400 && admission.inFlight() != count; attempt++) {
            Thread.sleep(10);
        }
        assertThat(admission.inFlight()).as("requests in flight").isEqualTo(count);
    }
}
