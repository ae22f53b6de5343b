package org.countersign.push.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.countersign.push.testing.ServiceFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every answer carries a {@code Date} header in IMF-fixdate from the service's own clock (RFC 9110 §6.6.1): the
 * authenticator's {@code time-check} compares the local clock with it, and Vert.x does not add one by itself.
 */
class DateHeaderTest {
    /** {@code Sun, 06 Nov 1994 08:49:37 GMT}: the one form RFC 9110 lets a sender generate. */
    private static final String IMF_FIXDATE = "[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation();

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(URI.create(fixture.api().baseUrl() + path));
    }

    /** The header has whole seconds. */
    private static Instant servicesNow() {
        return fixture.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static Instant date(HttpResponse<?> response) {
        String date = response.headers().firstValue("Date").orElseThrow(() -> new AssertionError(
                "no Date header on " + response.statusCode() + " " + response.uri()));
        assertThat(date).matches(IMF_FIXDATE);
        return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    @Test
    void healthSaysTheTimeOfTheServicesClock() throws Exception {
        HttpResponse<String> health = send(to("/health").GET());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(date(health)).isEqualTo(servicesNow());
    }

    @Test
    void theDateFollowsTheInjectedClockNotTheMachines() throws Exception {
        fixture.clock().set(Instant.parse("2031-02-03T04:05:06.789Z"));

        assertThat(date(send(to("/health").GET()))).isEqualTo(Instant.parse("2031-02-03T04:05:06Z"));
    }

    @Test
    void errorAnswersCarryTheDateToo() throws Exception {
        HttpResponse<String> unknownAddress = send(to("/api/v1/no-such-thing").GET());
        HttpResponse<String> malformedJson = send(to("/api/v1/sign-ins").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{not json")));
        HttpResponse<String> unauthenticated = send(to("/api/v1/me/methods").GET());

        assertThat(unknownAddress.statusCode()).isEqualTo(404);
        assertThat(malformedJson.statusCode()).isEqualTo(400);
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        for (HttpResponse<String> error : List.of(unknownAddress, malformedJson, unauthenticated)) {
            assertThat(error.body()).contains("\"error\"");
            assertThat(date(error)).isEqualTo(servicesNow());
        }
    }

    @Test
    void pagesAndTheirAssetsCarryTheDate() throws Exception {
        HttpResponse<String> page = send(to("/sign-in").GET());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(date(page)).isEqualTo(servicesNow());
    }

    @Test
    void requestsTheHttpDecoderRefusesCarryTheMachinesDate() throws Exception {
        HttpResponse<String> tooLong = send(to("/api/v1/" + "a".repeat(10_000)).GET());

        assertThat(tooLong.statusCode()).isEqualTo(414);
        assertThat(date(tooLong)).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
    }
}
