package org.countersign.push.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.Hello;
import org.countersign.protocol.Login;
import org.countersign.protocol.SignedPayloads;

/**
 * A raw channel client for tests of what the service refuses: it logs in only when told to, may name any device
 * id and sends any text. {@link TestDevice} is the well-behaved authenticator; this is the misbehaving one.
 */
public final class ChannelProbe implements AutoCloseable {
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    private final WebSocket socket;

    private ChannelProbe(HttpClient client, String channelUrl) {
        socket = client.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(channelUrl), new Listener())
                .join();
    }

    /**
     * Opens the channel of {@code deviceId} on the service at {@code api} (over TLS, with its client, when it serves
     * HTTPS) and waits for nothing.
     */
    public static ChannelProbe open(Api api, String deviceId) {
        return new ChannelProbe(api.client(), api.baseUrl().replaceFirst("^http", "ws") + "/api/v1/devices/"
                + deviceId + "/channel");
    }

    /** The hello's nonce (the first frame the service sends). */
    public String nonce() {
        return ((Hello) ChannelMessage.parse(nextText())).nonce();
    }

    /** Answers the hello with a login for {@code deviceId} signed by {@code key}. */
    public ChannelProbe login(String deviceId, DeviceSigner key) {
        send(new Login(key.signBase64Url(SignedPayloads.channelLogin(deviceId, nonce()))).encode());
        return this;
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends a ping carrying {@code text} and answers the pong's text, failing when none comes within 5 s. */
    public String ping(String text) {
        socket.sendPing(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))).join();
        return poll(pongs, "pong");
    }

    /** The next text frame, failing the test when none comes within five seconds. */
    public String nextText() {
        return poll(received, "frame");
    }

    private String poll(BlockingQueue<String> queue, String what) {
        try {
            String text = queue.poll(5, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("no " + what + " within 5 s"
                        + (closed.isDone() ? ", closed " + closed.join() : ""));
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The close code the service sent, waiting at most {@code timeout}. */
    public int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            pongs.add(StandardCharsets.UTF_8.decode(message).toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }
    }
}
