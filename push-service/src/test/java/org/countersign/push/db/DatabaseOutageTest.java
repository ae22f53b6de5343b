package org.countersign.push.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops under a running service (as a crash: {@code pg_ctl stop -m immediate}) and comes back: while it
 * is away every call is answered at once with 503 {@code database_unavailable} and {@code Retry-After} (never a hang,
 * never a 500 incident) and {@code /health} says so; when it is back the service works again by itself.
 */
class DatabaseOutageTest {
    /** A call that has not been answered by then is a hang: the pool's timeouts are a few seconds. */
    private static final Duration NO_HANG = Duration.ofSeconds(12);
    private static final int OUTAGES = 2;

    private static StoppablePostgres postgres;
    private static TestService service;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startAServiceOnItsOwnPostgres() {
        postgres = StoppablePostgres.start();
        Migrations.apply(postgres.settings());
        service = TestService.on(postgres.settings());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void callsAreRefusedWithA503WhileTheDatabaseIsDownAndWorkAgainWhenItIsBack() throws Exception {
        String admin = service.flows().adminToken();
        TestDevice device = service.flows().enforcedUserWithDevice(admin, "olga");
        device.close();
        int refused = 0;

        for (int outage = 1; outage <= OUTAGES; outage++) {
            assertThat(call("GET", "/health", null, null).statusCode()).isEqualTo(200);
            postgres.crash();

            HttpResponse<String> health = call("GET", "/health", null, null);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(new JsonObject(health.body())).isEqualTo(new JsonObject()
                    .put("status", "unavailable").put("database", "down"));
            for (HttpResponse<String> answer : new HttpResponse[] {
                    call("POST", "/api/v1/sign-ins", null, new JsonObject().put("username", "olga")
                            .put("password", TestService.PASSWORD).put("app", "Payroll")),
                    call("GET", "/api/v1/admin/users", admin, null),
                    call("GET", "/api/v1/sign-ins/" + UUID.randomUUID(), null, null),
                    call("GET", "/api/v1/me/methods", admin, null),
                    call("POST", "/api/v1/enrollments", admin, new JsonObject())}) {
                assertThat(answer.statusCode()).as(answer.uri() + " " + answer.body()).isEqualTo(503);
                assertThat(new JsonObject(answer.body()).getString("error")).isEqualTo("database_unavailable");
                assertThat(new JsonObject(answer.body()).getString("message")).isNotBlank();
                assertThat(answer.headers().firstValue("Retry-After")).hasValue("5");
                refused++;
            }

            postgres.restart();
            assertThat(healthyAgain()).as("/health answers 200 once PostgreSQL is back").isTrue();
            assertThat(call("GET", "/api/v1/admin/users", admin, null).statusCode())
                    .as("a session from before the outage").isEqualTo(200);
            TestDevice back = device.reconnected().connect();
            String session = service.flows().signInWithPush("olga", back);
            assertThat(session).isNotBlank();
            back.close();
        }
        System.out.printf("DatabaseOutageTest: %d outages survived, %d calls refused with 503 database_unavailable"
                + " during them, none hung, every one recovered without a restart of the service%n", OUTAGES, refused);
    }

    /** New connections are made as soon as the server accepts them; a few quick tries absorb the restart's end. */
    private boolean healthyAgain() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            if (call("GET", "/health", null, null).statusCode() == 200) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private HttpResponse<String> call(String method, String path, String token, JsonObject body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.api.baseUrl() + path))
                .timeout(NO_HANG)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body.encode()));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
