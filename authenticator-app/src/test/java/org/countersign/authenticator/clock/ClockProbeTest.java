package org.countersign.authenticator.clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.countersign.authenticator.vault.ClockCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The JDK's HttpServer always stamps its own {@code Date} header with the real time, so the skew is crafted on the
 * other side: the probe's local clock is set off from the real one. A malformed header comes from a raw socket.
 */
class ClockProbeTest {
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/health");
    }

    /** Measures with a local clock that is {@code offset} away from the real time. */
    private ClockCheck measureWithLocalClockOff(Duration offset) {
        return new ClockProbe(url -> HttpClient.newHttpClient(), Clock.offset(Clock.systemUTC(), offset))
                .measure(url());
    }

    @Nested
    class Measuring {
        @Test
        void aLocalClockBehindGivesAPositiveSkewGoodToAboutASecond() {
            ClockCheck check = measureWithLocalClockOff(Duration.ofSeconds(-20));

            assertThat(check.skew()).isBetween(Duration.ofMillis(18_900), Duration.ofMillis(21_100));
            assertThat(check.source()).isEqualTo("http://127.0.0.1:" + server.getAddress().getPort());
            assertThat(SkewVerdict.of(check.skew())).isEqualTo(SkewVerdict.WARNING);
        }

        @Test
        void aLocalClockAheadGivesANegativeSkew() {
            ClockCheck check = measureWithLocalClockOff(Duration.ofSeconds(40));

            assertThat(check.skew()).isBetween(Duration.ofMillis(-41_100), Duration.ofMillis(-38_900));
            assertThat(SkewVerdict.of(check.skew())).isEqualTo(SkewVerdict.ERROR);
        }

        @Test
        void aDateHeaderThatIsNotAnHttpDateIsAClearError() throws Exception {
            try (ServerSocket raw = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread responder = new Thread(() -> {
                    try (Socket socket = raw.accept()) {
                        socket.getInputStream().read(new byte[4096]);
                        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nDate: yesterday\r\n"
                                + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // the probe reports what it got
                    }
                });
                responder.start();
                ClockProbe probe = new ClockProbe(url -> HttpClient.newHttpClient(), Clock.systemUTC());

                assertThatThrownBy(() -> probe.measure(URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/")))
                        .isInstanceOf(ClockProbeException.class).hasMessageContaining("not an HTTP date");
                responder.join(5_000);
            }
        }
    }

    @Nested
    class Verdicts {
        @Test
        void upTo15SecondsIsFineOver15AWarningOver30AnError() {
            assertThat(SkewVerdict.of(Duration.ofSeconds(15))).isEqualTo(SkewVerdict.OK);
            assertThat(SkewVerdict.of(Duration.ofMillis(-15_001))).isEqualTo(SkewVerdict.WARNING);
            assertThat(SkewVerdict.of(Duration.ofSeconds(30))).isEqualTo(SkewVerdict.WARNING);
            assertThat(SkewVerdict.of(Duration.ofMillis(30_001))).isEqualTo(SkewVerdict.ERROR);
            assertThat(SkewVerdict.describe(Duration.ofMillis(20_500))).isEqualTo("20.5 s behind");
            assertThat(SkewVerdict.describe(Duration.ofMillis(-3_000))).isEqualTo("3.0 s ahead of");
        }
    }
}
