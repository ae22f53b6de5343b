package org.countersign.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.countersign.push.testing.TrustingOnly;
import org.countersign.push.tls.SelfSignedTls;
import org.countersign.push.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A channel taken over behind TLS: Netty's TLS handler stays in front of the frames, in both directions. */
@Timeout(60)
class ChannelOverTlsTest {
    static final TlsIdentity identity = SelfSignedTls.generate("127.0.0.1", new SecureRandom());
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.startedBy("HTTPS", () -> TestService.withTls(identity));

    @Test
    void helloPingAndCloseGoThroughTls() throws Exception {
        CompletableFuture<String> hello = new CompletableFuture<>();
        CompletableFuture<String> pong = new CompletableFuture<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = TrustingOnly.client(identity.certificate()).newWebSocketBuilder()
                .buildAsync(URI.create("wss://127.0.0.1:" + fixture.service().port + "/api/v1/devices/"
                        + UUID.randomUUID() + "/channel"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        hello.complete(data.toString());
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                        pong.complete(StandardCharsets.UTF_8.decode(message).toString());
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);

        assertThat(hello.get(10, TimeUnit.SECONDS)).contains("\"hello\"");
        socket.sendPing(ByteBuffer.wrap("tls".getBytes(StandardCharsets.UTF_8))).join();
        assertThat(pong.get(10, TimeUnit.SECONDS)).isEqualTo("tls");
        socket.sendText("not json", true).join();
        assertThat(closed.get(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS)).isEqualTo(4400);
    }
}
