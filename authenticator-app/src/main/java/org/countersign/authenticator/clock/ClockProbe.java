package org.countersign.authenticator.clock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.function.Function;
import org.countersign.authenticator.vault.ClockCheck;
import org.countersign.authenticator.vault.Vault;

/**
 * Measures how far the local clock is from a server's: a GET whose {@code Date} header (RFC 9110, whole seconds)
 * is compared with the middle of the local send and receive times. The header is truncated to the second, so half a
 * second is added to it; the result is good to about ±0.5 s plus half the round trip, plenty to judge TOTP codes.
 */
public final class ClockProbe {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Function<URI, HttpClient> clients;
    private final Clock clock;

    /** @param clients the HTTP client to use for a URL (a push service's pinned one, or a plain one) */
    public ClockProbe(Function<URI, HttpClient> clients, Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @return the measurement, keyed by the URL's origin
     * @throws ClockProbeException when the server cannot be reached or sends no usable Date header
     */
    public ClockCheck measure(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
        Instant sent = clock.instant();
        HttpResponse<Void> response;
        try {
            response = clients.apply(url).send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new ClockProbeException("Cannot reach " + url + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClockProbeException("Interrupted while asking " + url + " for the time.", e);
        }
        Instant received = clock.instant();
        String date = response.headers().firstValue("Date")
                .orElseThrow(() -> new ClockProbeException(url + " sent no Date header (HTTP " + response.statusCode()
                        + "), so its clock cannot be compared."));
        Instant serverTime;
        try {
            serverTime = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ClockProbeException(url + " sent a Date header that is not an HTTP date.", e);
        }
        Instant middle = sent.plus(Duration.between(sent, received).dividedBy(2));
        Duration skew = Duration.between(middle, serverTime.plusMillis(500));
        return new ClockCheck(Vault.origin(url), skew, received);
    }
}
