package org.countersign.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.Login;
import org.countersign.protocol.Ready;
import org.countersign.protocol.SignedPayloads;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ChannelProbe;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The push channel's login and what it refuses (ARCHITECTURE.md §3.3). */
class ChannelLoginTest {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    static TestService service;
    static Api api;
    static Rows rows;
    static String admin;

    @BeforeAll
    static void start() {
        service = TestService.start();
        api = service.api;
        rows = new Rows(service);
        admin = service.flows().adminToken();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static TestDevice userWithDevice(String username) {
        service.flows().createUser(admin, username, "enforced");
        TestDevice device = service.flows().registerDevice(username);
        return device;
    }

    @Nested
    class ALogin {
        @Test
        void signedByTheDeviceKeyIsReadyAndReceivesPushes() {
            try (TestDevice device = userWithDevice("ada")) {
                try (TestDevice again = device.reconnected().connect()) {
                    assertThat(again.next(Ready.class)).isNotNull();
                    Api.Response started = service.flows().signIn("ada");
                    assertThat(again.next(ApprovalRequest.class).signInId()).isEqualTo(started.string("signInId"));
                }
            }
        }

        @Test
        void signedWithAWrongKeyIsClosedWith4401AndDoesNotDisplaceTheLiveChannel() throws Exception {
            try (TestDevice device = userWithDevice("bert")) {
                TestDevice impostor = device.reconnected().connect(DeviceSigner.generate(RANDOM));
                assertThat(impostor.awaitClose(CLOSE_WAIT)).isEqualTo(4401);

                Api.Response started = service.flows().signIn("bert");
                assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(started.string("signInId"));
                assertThat(device.isClosed()).isFalse();
            }
        }

        @Test
        void signedOverAnotherNonceIsClosedWith4401() throws Exception {
            try (TestDevice device = userWithDevice("cleo");
                 ChannelProbe first = ChannelProbe.open(api, device.deviceId());
                 ChannelProbe second = ChannelProbe.open(api, device.deviceId())) {
                String oldNonce = first.nonce();
                second.nonce();
                second.send(new Login(device.signer().signBase64Url(
                        SignedPayloads.channelLogin(device.deviceId(), oldNonce))).encode());
                assertThat(second.awaitClose(CLOSE_WAIT)).isEqualTo(4401);
            }
        }

        @Test
        void signedForAnotherDeviceIdIsClosedWith4401() throws Exception {
            try (TestDevice device = userWithDevice("dora");
                 ChannelProbe probe = ChannelProbe.open(api, device.deviceId())) {
                String nonce = probe.nonce();
                probe.send(new Login(device.signer().signBase64Url(
                        SignedPayloads.channelLogin(UUID.randomUUID().toString(), nonce))).encode());
                assertThat(probe.awaitClose(CLOSE_WAIT)).isEqualTo(4401);
            }
        }

        @Test
        void forAnUnknownDeviceIsClosedWith4403() throws Exception {
            String unknown = UUID.randomUUID().toString();
            try (ChannelProbe probe = ChannelProbe.open(api, unknown)) {
                probe.login(unknown, DeviceSigner.generate(RANDOM));
                assertThat(probe.awaitClose(CLOSE_WAIT)).isEqualTo(4403);
            }
        }

        @Test
        void ofARemovedDeviceIsClosedWith4403() throws Exception {
            try (TestDevice device = userWithDevice("emil")) {
                Api.Response removed = api.delete("/api/v1/admin/devices/" + device.deviceId(), admin);
                assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
                TestDevice again = device.reconnected().connect();
                assertThat(again.awaitClose(CLOSE_WAIT)).isEqualTo(4403);
            }
        }

        @Test
        void fromASecondConnectionReplacesTheFirstWhichIsClosedWith4409() throws Exception {
            try (TestDevice device = userWithDevice("fay")) {
                TestDevice newer = device.reconnected().connect();
                newer.next(Ready.class);
                assertThat(device.awaitClose(CLOSE_WAIT)).isEqualTo(4409);

                Api.Response started = service.flows().signIn("fay");
                assertThat(newer.next(ApprovalRequest.class).signInId()).isEqualTo(started.string("signInId"));
                newer.close();
            }
        }
    }

    @Nested
    class Handshake {
        @Test
        void aClientOfferingCompressionIsUpgradedWithoutIt() throws Exception {
            // frames are small JSON; a negotiated deflater and inflater would cost each channel about 300 KB
            URI base = URI.create(api.baseUrl());
            try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET /api/v1/devices/" + UUID.randomUUID() + "/channel HTTP/1.1\r\n"
                        + "Host: " + base.getAuthority() + "\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, deflate-frame\r\n"
                        + "\r\n").getBytes(StandardCharsets.US_ASCII));
                String head = responseHead(socket.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 101");
                assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("sec-websocket-extensions");
            }
        }

        private static String responseHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }

    @Nested
    class BeforeLogin {
        @Test
        void aFrameThatIsNotJsonClosesTheChannelWith4400() throws Exception {
            try (TestDevice device = userWithDevice("gus");
                 ChannelProbe probe = ChannelProbe.open(api, device.deviceId())) {
                probe.nonce();
                probe.send("this is not JSON {");
                assertThat(probe.awaitClose(CLOSE_WAIT)).isEqualTo(4400);
            }
        }

        @Test
        void aBinaryFrameClosesTheChannelWith4400() throws Exception {
            try (TestDevice device = userWithDevice("hal");
                 ChannelProbe probe = ChannelProbe.open(api, device.deviceId())) {
                probe.nonce();
                probe.sendBinary(new byte[] {1, 2, 3});
                assertThat(probe.awaitClose(CLOSE_WAIT)).isEqualTo(4400);
            }
        }

        @Test
        void anApprovalResponseIsRefusedByClosingTheChannelAndDecidesNothing() throws Exception {
            try (TestDevice device = userWithDevice("ines")) {
                Api.Response started = service.flows().signIn("ines");
                String id = started.string("signInId");
                try (ChannelProbe probe = ChannelProbe.open(api, device.deviceId())) {
                    probe.nonce();
                    probe.send(device.answer(id, Decision.APPROVE, started.string("number")).encode());
                    assertThat(probe.awaitClose(CLOSE_WAIT)).isEqualTo(4401);
                }
                assertThat(rows.signIn(id).state()).isEqualTo("pending");
            }
        }
    }

    @Nested
    class AfterLogin {
        @Test
        void aFrameThatIsNotAProtocolMessageIsAnErrorFrameAndTheChannelStaysOpen() throws Exception {
            try (TestDevice device = userWithDevice("kim")) {
                device.sendRaw("{\"type\":\"no.such.type\"}");
                ChannelError error = device.next(ChannelError.class);
                assertThat(error.error()).isEqualTo("invalid_message");
                device.sendRaw("not json");
                assertThat(device.next(ChannelError.class).error()).isEqualTo("invalid_message");

                Api.Response started = service.flows().signIn("kim");
                assertThat(device.next(ApprovalRequest.class).signInId()).isEqualTo(started.string("signInId"));
                assertThat(device.isClosed()).isFalse();
            }
        }

        @Test
        void anotherLoginFrameIsAnErrorFrame() {
            try (TestDevice device = userWithDevice("lea")) {
                device.sendRaw(new JsonObject().put("type", "login").put("signature", "AAAA").encode());
                assertThat(device.next(ChannelError.class).error()).isEqualTo("unexpected_message");
            }
        }
    }
}
