package org.countersign.push.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntPredicate;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.DatabaseSlowdown;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;

/**
 * A real service on a real PostgreSQL whose pool is made to queue (every request waits at least ten times the
 * target for a connection, see {@link DatabaseSlowdown}): new sign-ins and checks are refused with 503
 * {@code overloaded} and {@code Retry-After} while results are still read, and once the queue is gone new work is
 * admitted again; the pool's queue alone, with no request waiting on it, is enough. Nothing here depends on how fast
 * the machine is: the delay is a floor, not a race.
 */
class SlowDatabaseSheddingTest {
    private static final Duration TARGET = Duration.ofMillis(20);
    private static final Duration DELAY = TARGET.multipliedBy(10);
    private static final long DEADLINE_NANOS = Duration.ofSeconds(30).toNanos();
    /** HTTP/1.1, so that each read in flight is one connection of its own. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void newWorkIsShedWhileTheDatabaseQueuesAndAdmittedWorkIsStillServed() throws Exception {
        try (TestService service = TestService.withOverloadLatencyTarget(TARGET)) {
            String admin = service.flows().adminToken();
            TestDevice device = service.flows().enforcedUserWithDevice(admin, "queued-ann");
            String signInId = service.flows().signIn("queued-ann").string("signInId");
            device.next(ApprovalRequest.class);
            String client = rpClient(service.api, admin);
            HttpResponse<String> created = startCheck(service.api, client);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String checkId = new JsonObject(created.body()).getString("checkId");
            String readSignIn = "/api/v1/sign-ins/" + signInId;

            List<CompletableFuture<HttpResponse<String>>> reads = new CopyOnWriteArrayList<>();
            ScheduledExecutorService reader = Executors.newSingleThreadScheduledExecutor();
            try (DatabaseSlowdown slowdown = DatabaseSlowdown.start(service.vertx, service.pool,
                    TestService.POOL_SIZE, DELAY)) {
                // a steady stream of result reads: each waits for a connection, so the node has a standing queue
                reader.scheduleAtFixedRate(() -> reads.add(http.sendAsync(get(service.api, readSignIn, null),
                        HttpResponse.BodyHandlers.ofString())), 0, 25, TimeUnit.MILLISECONDS);
                // a sign-in without a body is refused with 400 before any database work once it is admitted
                awaitStatus(() -> post(service.api, "/api/v1/sign-ins", "{}", null), status -> status == 503);

                HttpResponse<String> signIn = post(service.api, "/api/v1/sign-ins", new JsonObject()
                        .put("username", "queued-ann").put("password", TestService.PASSWORD).put("app", "Payroll")
                        .encode(), null);
                assertOverloaded(signIn);
                assertOverloaded(startCheck(service.api, client));

                HttpResponse<String> result = send(get(service.api, readSignIn, null));
                assertThat(result.statusCode()).as(result.body()).isEqualTo(200);
                assertThat(new JsonObject(result.body()).getString("state")).isNotBlank();
                HttpResponse<String> check = send(get(service.api, "/api/v1/rp/checks/" + checkId, client));
                assertThat(check.statusCode()).as(check.body()).isEqualTo(200);
                assertThat(new JsonObject(check.body()).getString("state")).isEqualTo("pending");
                assertThat(service.server.admission().shedNewWork()).isGreaterThanOrEqualTo(3);
            } finally {
                reader.shutdownNow();
                assertThat(reader.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            for (CompletableFuture<HttpResponse<String>> read : reads) {
                assertThat(read.get(30, TimeUnit.SECONDS).statusCode()).as("every result read was answered")
                        .isEqualTo(200);
            }

            HttpResponse<String> again = awaitStatus(() -> startCheck(service.api, client), status -> status != 503);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
            assertThat(service.flows().signIn("queued-ann").status()).isEqualTo(200);
        }
    }

    @Test
    void theDatabaseQueueAloneStopsNewWorkAndItsEndAdmitsNewWorkAgain() throws Exception {
        try (TestService service = TestService.withOverloadLatencyTarget(TARGET)) {
            String admin = service.flows().adminToken();
            service.flows().enforcedUserWithDevice(admin, "queued-ann");
            String client = rpClient(service.api, admin);
            AdmissionControl admission = service.server.admission();
            assertThat(admission.databaseQueueStanding()).isFalse();

            try (DatabaseSlowdown slowdown = DatabaseSlowdown.start(service.vertx, service.pool,
                    TestService.POOL_SIZE, DELAY)) {
                // no request is served meanwhile: only the pool's own waits (here the sleeps') can show the queue,
                // as when devices' answers, not requests, fill the pool
                awaitTrue(admission::databaseQueueStanding);
                assertThat(admission.inFlight()).isZero();
                long shedBefore = admission.shedNewWork();
                assertOverloaded(startCheck(service.api, client));
                assertThat(admission.shedNewWork()).isEqualTo(shedBefore + 1);
            }

            awaitTrue(() -> !admission.databaseQueueStanding());
            HttpResponse<String> again = awaitStatus(() -> startCheck(service.api, client), status -> status != 503);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(201);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long giveUpAt = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean() && System.nanoTime() < giveUpAt) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    private static void assertOverloaded(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonObject body = new JsonObject(answer.body());
        assertThat(body.getString("error")).isEqualTo("overloaded");
        assertThat(body.getString("message")).isNotBlank();
    }

    /** Sends {@code call} until its status passes {@code wanted}, for at most the deadline. */
    private static HttpResponse<String> awaitStatus(Call call, IntPredicate wanted) throws Exception {
        long giveUpAt = System.nanoTime() + DEADLINE_NANOS;
        HttpResponse<String> answer = call.send();
        while (!wanted.test(answer.statusCode()) && System.nanoTime() < giveUpAt) {
            Thread.sleep(10);
            answer = call.send();
        }
        assertThat(wanted.test(answer.statusCode())).as("last answer " + answer.statusCode() + " " + answer.body())
                .isTrue();
        return answer;
    }

    private interface Call {
        HttpResponse<String> send() throws Exception;
    }

    /** A relying-party client's Basic credentials. */
    private static String rpClient(Api api, String adminToken) {
        Api.Response created = api.post("/api/v1/admin/rp-clients", new JsonObject().put("name", "Payroll")
                .put("ratePerSecond", 1000), adminToken);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String credentials = created.string("clientId") + ":" + created.string("clientSecret");
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> startCheck(Api api, String client) throws Exception {
        return post(api, "/api/v1/rp/checks", new JsonObject().put("username", "queued-ann").put("factor", "push")
                .put("app", "Payroll").encode(), client);
    }

    private HttpResponse<String> post(Api api, String path, String json, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request.build());
    }

    private static HttpRequest get(Api api, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
