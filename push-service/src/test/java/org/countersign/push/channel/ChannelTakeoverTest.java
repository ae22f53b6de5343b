package org.countersign.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Hello;
import org.countersign.protocol.Login;
import org.countersign.protocol.Ready;
import org.countersign.protocol.SignedPayloads;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The device channel's WebSocket after Vert.x's handshake, on the Netty pipeline the service took over
 * ({@link WebSocketTakeover}): each behaviour Vert.x's WebSocket used to provide, frame by frame, with a client that
 * shows what a client library would hide.
 */
@Timeout(120)
class ChannelTakeoverTest {
    /** Well below the closing timeout, so an end within it is not the timeout's. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    private static ChannelRegistry channels() {
        return fixture.service().server.channels();
    }

    private static String base() {
        return fixture.service().api.baseUrl();
    }

    /** A channel of a device nobody knows, past its hello: closes come from whatever the test sends next. */
    private static RawWebSocket unloggedChannel() {
        RawWebSocket ws = RawWebSocket.channel(base(), UUID.randomUUID().toString());
        assertThat(ws.next().text()).contains("\"hello\"");
        return ws;
    }

    /** A raw channel logged in as a device. */
    private record LoggedIn(UUID deviceId, RawWebSocket ws) implements AutoCloseable {
        @Override
        public void close() {
            ws.close();
        }
    }

    /** A registered device of a new user, logged in over a raw channel (its test client's channel replaced). */
    private static LoggedIn loggedInChannel(String username) {
        fixture.flows().createUser(fixture.admin(), username, "enforced");
        try (TestDevice device = fixture.flows().registerDevice(username)) {
            RawWebSocket ws = RawWebSocket.channel(base(), device.deviceId()).login(device.deviceId(), device.signer());
            assertThat(ChannelMessage.parse(ws.next().text())).isInstanceOf(Ready.class);
            return new LoggedIn(UUID.fromString(device.deviceId()), ws);
        }
    }

    private static RawWebSocket.Frame nextIgnoringPings(RawWebSocket ws) {
        RawWebSocket.Frame frame = ws.next();
        while (frame.opcode() == RawWebSocket.PING) {
            frame = ws.next();
        }
        return frame;
    }

    @Nested
    class Closing {
        @Test
        void aCloseCarriesItsCodeAndReasonAndTheConnectionEndsOnceThePeerAnswers() {
            try (RawWebSocket ws = unloggedChannel()) {
                ws.sendText("not json");

                RawWebSocket.Frame close = ws.next();
                assertThat(close.opcode()).isEqualTo(RawWebSocket.CLOSE);
                assertThat(close.closeCode()).isEqualTo(4400);
                assertThat(close.closeReason()).isEqualTo("not a protocol message");
                ws.sendClose(4400, "");
                assertThat(ws.closedWithin(PROMPTLY)).isTrue();
            }
        }

        @Test
        void aPeerThatNeverAnswersACloseIsDisconnectedAfterTheClosingTimeout() {
            try (RawWebSocket ws = unloggedChannel()) {
                ws.sendText("not json");
                assertThat(ws.next().closeCode()).isEqualTo(4400);

                assertThat(ws.closedWithin(Duration.ofSeconds(2))).as("still waiting for the answer").isFalse();
                assertThat(ws.closedWithin(AdoptedWebSocket.CLOSE_TIMEOUT.plusSeconds(5))).isTrue();
            }
        }

        @Test
        void thePeersCloseIsAnsweredWithTheSameCodeAndTheConnectionEnds() {
            try (RawWebSocket ws = unloggedChannel()) {
                ws.sendClose(1000, "bye");

                RawWebSocket.Frame answer = ws.next();
                assertThat(answer.opcode()).isEqualTo(RawWebSocket.CLOSE);
                assertThat(answer.closeCode()).isEqualTo(1000);
                assertThat(ws.closedWithin(PROMPTLY)).isTrue();
            }
        }

        @Test
        void aDeviceWhoseConnectionEndsIsNoLongerHeld() throws Exception {
            LoggedIn channel = loggedInChannel("ulla");
            assertThat(channels().isConnected(channel.deviceId())).isTrue();

            channel.close(); // TCP only, no close frame
            for (int i = 0; i < 50 && channels().isConnected(channel.deviceId()); i++) {
                Thread.sleep(100);
            }
            assertThat(channels().isConnected(channel.deviceId())).isFalse();
        }
    }

    @Nested
    class ControlFrames {
        @Test
        void aPingIsAnsweredWithAPongCarryingItsPayload() {
            try (RawWebSocket ws = unloggedChannel()) {
                ws.send(true, RawWebSocket.PING, "are you there".getBytes(StandardCharsets.UTF_8));

                RawWebSocket.Frame pong = ws.next();
                assertThat(pong.opcode()).isEqualTo(RawWebSocket.PONG);
                assertThat(pong.text()).isEqualTo("are you there");
            }
        }

        @Test
        void anUnaskedPongIsIgnored() {
            try (RawWebSocket ws = unloggedChannel()) {
                ws.send(true, RawWebSocket.PONG, new byte[0]);
                ws.send(true, RawWebSocket.PING, new byte[] {7});

                assertThat(ws.next().opcode()).isEqualTo(RawWebSocket.PONG);
            }
        }
    }

    @Nested
    class Messages {
        @Test
        void aTextMessageInFragmentsIsJoinedWithAPingBetweenThem() {
            fixture.flows().createUser(fixture.admin(), "vera", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("vera");
                 RawWebSocket ws = RawWebSocket.channel(base(), device.deviceId())) {
                String nonce = ((Hello) ChannelMessage.parse(ws.next().text())).nonce();
                String login = new Login(device.signer().signBase64Url(
                        SignedPayloads.channelLogin(device.deviceId(), nonce))).encode();
                byte[] bytes = login.getBytes(StandardCharsets.UTF_8);
                int third = bytes.length / 3;
                ws.send(false, RawWebSocket.TEXT, Arrays.copyOfRange(bytes, 0, third));
                ws.send(false, RawWebSocket.CONTINUATION, Arrays.copyOfRange(bytes, third, 2 * third));
                ws.send(true, RawWebSocket.PING, new byte[] {1});
                ws.send(true, RawWebSocket.CONTINUATION, Arrays.copyOfRange(bytes, 2 * third, bytes.length));

                assertThat(ws.next().opcode()).isEqualTo(RawWebSocket.PONG);
                assertThat(ChannelMessage.parse(ws.next().text())).isInstanceOf(Ready.class);
            }
        }

        @Test
        void aBinaryMessageClosesWith4400EvenInFragments() {
            try (RawWebSocket ws = unloggedChannel()) {
                ws.send(false, RawWebSocket.BINARY, new byte[] {1, 2});
                ws.send(true, RawWebSocket.CONTINUATION, new byte[] {3});

                RawWebSocket.Frame close = ws.next();
                assertThat(close.closeCode()).isEqualTo(4400);
                assertThat(close.closeReason()).isEqualTo("text frames only");
            }
        }

        @Test
        void aMessageOverTheLimitInSmallFragmentsClosesWith1009() {
            try (RawWebSocket ws = unloggedChannel()) {
                byte[] fragment = new byte[WebSocketTakeover.MAX_MESSAGE_BYTES / 2];
                Arrays.fill(fragment, (byte) 'a');
                ws.send(false, RawWebSocket.TEXT, fragment);
                ws.send(false, RawWebSocket.CONTINUATION, fragment);
                ws.send(true, RawWebSocket.CONTINUATION, fragment);

                RawWebSocket.Frame close = ws.next();
                assertThat(close.closeCode()).isEqualTo(1009);
                assertThat(close.closeReason()).isEqualTo("message too big or malformed");
                ws.sendClose(1009, "");
                assertThat(ws.closedWithin(PROMPTLY)).isTrue();
            }
        }

        @Test
        void aFrameOverTheLimitClosesWith1009AndTheConnectionWithinTheClosingTimeout() {
            // the frame decoder reads nothing after such a frame: the close handshake cannot complete
            try (RawWebSocket ws = unloggedChannel()) {
                ws.send(true, RawWebSocket.TEXT, new byte[WebSocketTakeover.MAX_MESSAGE_BYTES + 1]);

                RawWebSocket.Frame close = ws.next();
                assertThat(close.closeCode()).isEqualTo(1009);
                assertThat(close.closeReason()).isEqualTo("message too big or malformed");
                ws.sendClose(1009, "");
                assertThat(ws.closedWithin(AdoptedWebSocket.CLOSE_TIMEOUT.plusSeconds(5))).isTrue();
            }
        }
    }

    @Nested
    class Writes {
        @Test
        void writesFromThreadsOutsideTheEventLoopArriveInTheOrderEachThreadWroteThem() throws Exception {
            try (LoggedIn channel = loggedInChannel("walt")) {
                RawWebSocket ws = channel.ws();
                UUID deviceId = channel.deviceId();
                int perThread = 300;
                List<CompletableFuture<Void>> writers = new ArrayList<>();
                for (String thread : List.of("a", "b")) {
                    writers.add(CompletableFuture.runAsync(() -> {
                        for (int i = 0; i < perThread; i++) {
                            channels().sendHere(deviceId, new ChannelError(thread + i, "x", "y"));
                        }
                    }));
                }
                int nextA = 0;
                int nextB = 0;
                for (int i = 0; i < 2 * perThread; i++) {
                    ChannelError error = (ChannelError) ChannelMessage.parse(nextIgnoringPings(ws).text());
                    if (error.signInId().startsWith("a")) {
                        assertThat(error.signInId()).isEqualTo("a" + nextA++);
                    } else {
                        assertThat(error.signInId()).isEqualTo("b" + nextB++);
                    }
                }
                CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).join();
                assertThat(nextA).isEqualTo(perThread);
                assertThat(nextB).isEqualTo(perThread);
            }
        }

        @Test
        void aPeerThatStopsReadingIsDisconnectedInsteadOfBufferedWithoutBound() throws Exception {
            fixture.flows().createUser(fixture.admin(), "xena", "enforced");
            try (TestDevice device = fixture.flows().registerDevice("xena");
                 RawWebSocket ws = RawWebSocket.open(base(), "/api/v1/devices/" + device.deviceId() + "/channel",
                         4096)) {
                ws.login(device.deviceId(), device.signer());
                assertThat(ChannelMessage.parse(ws.next().text())).isInstanceOf(Ready.class);
                UUID deviceId = UUID.fromString(device.deviceId());
                String big = "x".repeat(1000);

                // the peer reads nothing more: at most 64 KB wait in the node before the channel is dropped
                int sent = 0;
                while (channels().isConnected(deviceId) && sent < 20_000) {
                    channels().sendHere(deviceId, new ChannelError(null, "x", big));
                    sent++;
                    if (sent % 100 == 0) {
                        Thread.sleep(10);
                    }
                }
                for (int i = 0; i < 50 && channels().isConnected(deviceId); i++) {
                    Thread.sleep(100);
                }
                assertThat(channels().isConnected(deviceId)).as("after %d pushes", sent).isFalse();
                assertThat(ws.closedWithin(Duration.ofSeconds(10))).isTrue();
            }
        }
    }

    @Nested
    class Shutdown {
        @Test
        void aNodeShuttingDownSaysGoingAwayEvenToAChannelNotLoggedIn() throws Exception {
            TestService node = TestService.start();
            CompletableFuture<Void> crash;
            try (RawWebSocket ws = RawWebSocket.channel(node.api.baseUrl(), UUID.randomUUID().toString())) {
                assertThat(ws.next().text()).contains("\"hello\"");

                crash = CompletableFuture.runAsync(node::crash); // Vert.x stops: its HTTP server shuts down

                RawWebSocket.Frame close = ws.next(Duration.ofSeconds(15)).orElseThrow();
                assertThat(close.closeCode()).isEqualTo(1001);
                assertThat(close.closeReason()).isEqualTo("service shutting down");
                ws.sendClose(1001, "");
                assertThat(ws.closedWithin(PROMPTLY)).isTrue();
            }
            crash.join();
        }
    }
}
