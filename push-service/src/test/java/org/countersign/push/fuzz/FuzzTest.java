package org.countersign.push.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of malformed requests on every endpoint of the router (found from the router itself, so endpoints added
 * later are covered) and over the device channel, with and without valid sessions: never a 5xx, always a JSON
 * error on the API, the service still healthy, and the database as before: every table identical, apart from audit
 * events that record a refused attempt (an admin's rejected bulk file is audited by design).
 *
 * <p>Seeded: the seed is printed, and {@code -Dfuzz.seed=N} replays a run; {@code -Dfuzz.requests=N} changes the
 * number of HTTP requests (default {@value #DEFAULT_REQUESTS}).
 *
 * <p>The node runs without shedding by latency: 12,000 requests on a loaded machine can make it shed new sign-ins
 * with 503 {@code overloaded}, which is the answer to load, not to malformed input (LatencySheddingTest covers it).
 */
class FuzzTest {
    private static final int DEFAULT_REQUESTS = 12_000;

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.startedBy("without shedding by latency",
            TestService::withoutLatencyShedding).withAdminSignedIn();
    private static TestDevice device;
    private static Credentials credentials;
    private static String pendingSignIn;

    @BeforeAll
    static void sessionsAndAPendingSignIn() {
        String admin = fixture.admin();
        device = fixture.flows().enforcedUserWithDevice(admin, "quinn");
        String user = fixture.flows().signInWithPush("quinn", device);
        credentials = new Credentials(admin, user, cookieSession(admin));
        pendingSignIn = fixture.flows().signIn("quinn").string("signInId");
    }

    @AfterAll
    static void closeTheDevice() {
        if (device != null) {
            device.close();
        }
    }

    @Test
    void malformedRequestsNeverGetA5xxNorChangeAnything() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int count = Integer.getInteger("fuzz.requests", DEFAULT_REQUESTS);
        System.out.println("FuzzTest seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        List<Endpoint> endpoints = new ArrayList<>(Endpoint.of(fixture.service().server.newRouter()));
        List<FuzzRequest> requests = new MalformedRequests(seed, credentials).generate(endpoints, count);
        String before = fixture.service().snapshot();
        long lastAudit = fixture.service().sql("SELECT coalesce(max(id), 0) AS id FROM audit_events").iterator().next()
                .getLong("id");

        FuzzTally tally = new FuzzTally();
        long started = System.nanoTime();
        new HttpFuzzer(fixture.api().baseUrl()).run(requests, tally);
        long httpDone = System.nanoTime();
        ChannelFuzz.Result channel = new ChannelFuzz(fixture.api(), device, pendingSignIn, seed).run();
        System.out.printf("FuzzTest: HTTP part %d ms, channel part %d ms%n", (httpDone - started) / 1_000_000,
                (System.nanoTime() - httpDone) / 1_000_000);

        System.out.println("FuzzTest: " + tally.total() + " HTTP requests on " + endpoints.size() + " endpoints;"
                + " answers by status:\n" + tally.table());
        System.out.println("FuzzTest: slowest answers:\n" + tally.slowest());
        System.out.println("FuzzTest channel: " + channel);
        assertThat(tally.findings()).as("answers that broke a rule (seed " + seed + ")").isEmpty();
        assertThat(channel.findings()).as("channel findings (seed " + seed + ")").isEmpty();
        assertThat(tally.countAtLeast(500)).isZero();
        assertThat(tally.total()).isGreaterThanOrEqualTo(Math.min(count, 10_000));
        assertThat(fixture.api().get("/health").status()).isEqualTo(200);
        List<String> audited = new ArrayList<>();
        fixture.service().sql("SELECT type, outcome FROM audit_events WHERE id > " + lastAudit)
                .forEach(row -> audited.add(row.getString("type") + " " + row.getString("outcome")));
        System.out.println("FuzzTest: refusals recorded in the audit log: " + audited);
        assertThat(audited).as("new audit events may only record refused attempts")
                .allMatch(event -> event.matches(".* \\S*(reject|fail|block|den|refus)\\S*"));
        assertThat(fixture.service().snapshot())
                .as("every table but the audit log after the fuzz; requests answered 2xx: %s", tally.accepted())
                .isEqualTo(before);
    }

    private static String cookieSession(String token) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(fixture.api().baseUrl() + "/web/session"))
                            .header("Cookie", "cs_session=" + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return new io.vertx.core.json.JsonObject(response.body()).getString("csrfToken");
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
