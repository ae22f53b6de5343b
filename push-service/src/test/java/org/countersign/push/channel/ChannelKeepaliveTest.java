package org.countersign.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Ready;
import org.countersign.push.Config;
import org.countersign.push.CountersignServer;
import org.countersign.push.db.DatabasePool;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The keepalive over a taken-over channel: pings go out through the socket, the device's pongs come back as events
 * and reset the count of missed pongs. Runs a second node on the test service's database whose keepalive pings every
 * {@link #PING_INTERVAL} (the test service's is 30 s); devices are registered through the first.
 */
@Timeout(120)
class ChannelKeepaliveTest {
    private static final Duration PING_INTERVAL = Duration.ofMillis(250);

    static TestService service;
    static String admin;
    static Vertx vertx;
    static CountersignServer node;
    static String nodeUrl;

    @BeforeAll
    static void start() throws IOException {
        service = TestService.start();
        admin = service.flows().adminToken();
        vertx = Vertx.vertx();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        nodeUrl = "http://127.0.0.1:" + port;
        Config config = new Config("127.0.0.1", port, Path.of("target"), Optional.empty(), URI.create(nodeUrl),
                Optional.empty(), Optional.empty(), "Countersign Test", PING_INTERVAL, 1, 2);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        node = new CountersignServer(vertx, DatabasePool.create(vertx, service.database, 2), config, key,
                service.clock, new SecureRandom());
        TestService.await(node.start());
    }

    @AfterAll
    static void stop() {
        TestService.await(node.close());
        TestService.await(vertx.close());
        service.close();
    }

    /** A raw channel logged in on the node. */
    private record LoggedIn(UUID deviceId, RawWebSocket ws) implements AutoCloseable {
        @Override
        public void close() {
            ws.close();
        }
    }

    private static LoggedIn loggedInOnTheNode(String username) {
        service.flows().createUser(admin, username, "enforced");
        try (TestDevice device = service.flows().registerDevice(username)) {
            RawWebSocket ws = RawWebSocket.channel(nodeUrl, device.deviceId())
                    .login(device.deviceId(), device.signer());
            assertThat(ChannelMessage.parse(ws.next().text())).isInstanceOf(Ready.class);
            UUID deviceId = UUID.fromString(device.deviceId());
            assertThat(node.channels().isConnected(deviceId)).isTrue();
            return new LoggedIn(deviceId, ws);
        }
    }

    @Test
    void aDeviceThatAnswersEveryPingStaysConnectedOverManySweeps() {
        try (LoggedIn channel = loggedInOnTheNode("yann")) {
            RawWebSocket ws = channel.ws();
            int pings = 0;
            long end = System.nanoTime() + PING_INTERVAL.multipliedBy(12).toNanos();
            while (System.nanoTime() < end) {
                Optional<RawWebSocket.Frame> frame = ws.next(PING_INTERVAL);
                if (frame.isPresent()) {
                    assertThat(frame.get().opcode()).as("no close").isEqualTo(RawWebSocket.PING);
                    ws.send(true, RawWebSocket.PONG, frame.get().payload());
                    pings++;
                }
            }
            assertThat(pings).isGreaterThanOrEqualTo(4);
            assertThat(node.channels().isConnected(channel.deviceId())).isTrue();
        }
    }

    @Test
    void aDeviceThatAnswersNoPingIsClosedWith4410() {
        try (LoggedIn channel = loggedInOnTheNode("zoe")) {
            RawWebSocket ws = channel.ws();
            RawWebSocket.Frame frame = ws.next();
            while (frame.opcode() == RawWebSocket.PING) {
                frame = ws.next();
            }
            assertThat(frame.opcode()).isEqualTo(RawWebSocket.CLOSE);
            assertThat(frame.closeCode()).isEqualTo(4410);
            assertThat(frame.closeReason()).isEqualTo("no pong");
            assertThat(node.channels().isConnected(channel.deviceId())).isFalse();
        }
    }
}
