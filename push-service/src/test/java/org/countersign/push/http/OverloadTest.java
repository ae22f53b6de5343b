package org.countersign.push.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ChannelProbe;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestPostgres;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;

/**
 * Overload is shed, not queued: beyond the bound on requests in flight, or on long polls, a node answers 503
 * {@code overloaded} with {@code Retry-After} at once and without database work; the two bounds are apart, so polls
 * waiting for people never crowd out the work that answers them; health checks and device channels still get
 * through; and a database pool whose wait queue is full gives the same answer instead of a 500.
 */
class OverloadTest {
    private static final int MAX_IN_FLIGHT = 2;
    private static final int MAX_LONG_POLLS = 3;
    /** HTTP/1.1, so that every request in flight is one connection the service sees at once. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void requestsBeyondTheBoundAreRefusedAtOnceUntilTheHeldOnesEnd() throws Exception {
        try (TestService service = TestService.withBounds(MAX_IN_FLIGHT, MAX_LONG_POLLS)) {
            Api api = service.api;
            PendingSignIn pending = pendingSignIn(service, "busy-ann");
            TestDevice device = pending.device();
            String signInId = pending.signInId();
            AdmissionControl admission = pending.admission();

            // hold every slot with uploads that never finish
            List<Socket> uploads = new ArrayList<>();
            for (int i = 0; i < MAX_IN_FLIGHT; i++) {
                uploads.add(unfinishedUpload(service.port));
            }
            awaitInFlight(admission, MAX_IN_FLIGHT);

            HttpResponse<String> refused = http.send(get(api, "/api/v1/sign-ins/" + signInId),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("overloaded");
            assertThat(new JsonObject(refused.body()).getString("message")).isNotBlank();
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");

            String before = service.snapshot() + service.count("audit_events");
            Api.Response signIn = service.flows().signIn("busy-ann");
            assertThat(signIn.status()).isEqualTo(503);
            assertThat(signIn.error()).isEqualTo("overloaded");
            assertThat(service.snapshot() + service.count("audit_events")).as("nothing was written").isEqualTo(before);
            assertThat(api.get("/health").status()).as("health is not counted").isEqualTo(200);
            try (ChannelProbe channel = ChannelProbe.open(api, device.deviceId())) {
                assertThat(channel.nonce()).as("a WebSocket upgrade is not counted").isNotBlank();
            }

            // a long poll has its own bound: the person's answer still reaches the relying party or page waiting
            CompletableFuture<HttpResponse<String>> poll = http.sendAsync(
                    get(api, "/api/v1/sign-ins/" + signInId + "?waitSeconds=60"), HttpResponse.BodyHandlers.ofString());
            awaitLongPolls(admission, 1);
            device.send(device.answer(signInId, Decision.DENY, null));
            HttpResponse<String> answer = poll.join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            assertThat(new JsonObject(answer.body()).getString("state")).isEqualTo("denied");

            // a client that goes away mid-upload gives its slot back
            for (Socket upload : uploads) {
                upload.close();
            }
            awaitInFlight(admission, 0);
            assertThat(api.get("/api/v1/sign-ins/" + signInId).status()).isEqualTo(200);
        }
    }

    @Test
    void longPollsBeyondTheirOwnBoundAreRefusedWhileOtherRequestsAreServed() throws Exception {
        try (TestService service = TestService.withBounds(MAX_IN_FLIGHT, MAX_LONG_POLLS)) {
            Api api = service.api;
            PendingSignIn pending = pendingSignIn(service, "patient-bo");
            TestDevice device = pending.device();
            String signInId = pending.signInId();
            AdmissionControl admission = pending.admission();
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < MAX_LONG_POLLS; i++) {
                held.add(http.sendAsync(get(api, "/api/v1/sign-ins/" + signInId + "?waitSeconds=60"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            awaitLongPolls(admission, MAX_LONG_POLLS);
            assertThat(admission.inFlight()).as("waiting polls are not requests in flight").isZero();

            HttpResponse<String> refused = http.send(get(api, "/api/v1/sign-ins/" + signInId + "?waitSeconds=5"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(new JsonObject(refused.body()).getString("error")).isEqualTo("overloaded");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            Api.Response read = api.get("/api/v1/sign-ins/" + signInId);
            assertThat(read.status()).as("a read that does not wait is served").isEqualTo(200);
            assertThat(read.string("state")).isEqualTo("pending");

            device.send(device.answer(signInId, Decision.DENY, null));
            for (CompletableFuture<HttpResponse<String>> poll : held) {
                HttpResponse<String> answer = poll.join();
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(new JsonObject(answer.body()).getString("state")).isEqualTo("denied");
            }
            awaitLongPolls(admission, 0);
        }
    }

    @Test
    void aDatabasePoolWithAFullWaitQueueIsAnOverloadNotAnError() throws Exception {
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(0))
                .connectingTo(TestPostgres.freshDatabase().connectOptions())
                .using(vertx)
                .build();
        try {
            SqlConnection holder = TestService.await(pool.getConnection());
            Router router = Router.router(vertx);
            router.get("/db").respond(ctx -> pool.query("SELECT 1").execute().map(rows -> new JsonObject()));
            router.route().failureHandler(new FailureHandler());
            var server = TestService.await(vertx.createHttpServer().requestHandler(router).listen(0));
            Api api = new Api("http://127.0.0.1:" + server.actualPort());

            HttpResponse<String> busy = http.send(get(api, "/db"), HttpResponse.BodyHandlers.ofString());
            assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
            assertThat(new JsonObject(busy.body()).getString("error")).isEqualTo("overloaded");
            assertThat(busy.headers().firstValue("Retry-After")).hasValue("1");

            TestService.await(holder.close());
            assertThat(http.send(get(api, "/db"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            TestService.await(vertx.close());
        }
    }

    private static HttpRequest get(Api api, String path) {
        return HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(Duration.ofSeconds(70)).GET().build();
    }

    /**
     * A sign-in of {@code username} waiting for the answer of the device that was pushed its request, on a node
     * whose earlier requests have all ended.
     */
    private record PendingSignIn(TestDevice device, String signInId, AdmissionControl admission) {
    }

    private static PendingSignIn pendingSignIn(TestService service, String username) throws Exception {
        String admin = service.flows().adminToken();
        TestDevice device = service.flows().enforcedUserWithDevice(admin, username);
        String signInId = service.flows().signIn(username).string("signInId");
        device.next(ApprovalRequest.class);
        AdmissionControl admission = service.server.admission();
        awaitInFlight(admission, 0);
        return new PendingSignIn(device, signInId, admission);
    }

    /** A request whose headers promise a body that never comes: it stays in flight until the socket closes. */
    private static Socket unfinishedUpload(int port) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(("POST /api/v1/sign-ins HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"username\":")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Waits (boundedly) until the node holds exactly {@code count} long polls. */
    private static void awaitLongPolls(AdmissionControl admission, int count) throws InterruptedException {
        for (int attempt = 0; attempt < 400 && admission.longPolls() != count; attempt++) {
            Thread.sleep(25);
        }
        assertThat(admission.longPolls()).as("long polls held").isEqualTo(count);
    }

    /** Waits (boundedly) until the node serves exactly {@code count} requests: requests end in their own time. */
    private static void awaitInFlight(AdmissionControl admission, int count) throws InterruptedException {
        for (int attempt = 0; attempt < 400 && admission.inFlight() != count; attempt++) {
            Thread.sleep(25);
        }
        assertThat(admission.inFlight()).as("requests in flight").isEqualTo(count);
    }
}
