package org.countersign.push.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.ActivationRequest;
import org.countersign.protocol.ActivationResponse;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.Hello;
import org.countersign.protocol.Login;
import org.countersign.protocol.SignedPayloads;

/**
 * A simulated authenticator for service tests: a real Ed25519 key, real activation, a real WebSocket channel that
 * logs in with a signed nonce, and a queue of the frames it receives.
 */
public final class TestDevice implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DeviceSigner signer;
    private final ActivationResponse activation;
    private final BlockingQueue<ChannelMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket socket;

    private TestDevice(DeviceSigner signer, ActivationResponse activation) {
        this.signer = signer;
        this.activation = activation;
    }

    /** Activates a new device with the enrollment code; fails the test if the service refuses. */
    public static TestDevice activate(Api api, String code) {
        DeviceSigner signer = DeviceSigner.generate(RANDOM);
        Api.Response response = api.post("/api/v1/enrollments/activate", new ActivationRequest(code,
                signer.publicKey().base64Url(), "Ed25519", "test phone", "test").toJson());
        if (response.status() != 201) {
            throw new AssertionError("activation refused: " + response);
        }
        return new TestDevice(signer, ActivationResponse.fromJson(response.json()));
    }

    public String deviceId() {
        return activation.deviceId();
    }

    public ActivationResponse activation() {
        return activation;
    }

    public DeviceSigner signer() {
        return signer;
    }

    /** The same device (same key and id) with a fresh, unconnected channel, as after an app restart. */
    public TestDevice reconnected() {
        return new TestDevice(signer, activation);
    }

    /** Opens the channel and answers the hello with a signed login; does not wait for ready. */
    public TestDevice connect() {
        return connect(signer);
    }

    /** Opens the channel but logs in with another key (for tests of refused logins). */
    public TestDevice connect(DeviceSigner loginKey) {
        socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(activation.channelUrl()), new Listener(loginKey))
                .join();
        return this;
    }

    /** The next frame, failing the test when none comes within five seconds. */
    public ChannelMessage next() {
        try {
            ChannelMessage message = received.poll(5, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no frame within 5 s" + (closed.isDone() ? ", closed " + closed.join() : ""));
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next frame of the given type, skipping others. */
    public <T extends ChannelMessage> T next(Class<T> type) {
        for (int i = 0; i < 20; i++) {
            ChannelMessage message = next();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " among 20 frames");
    }

    /** No frame arrives for the given time. */
    public boolean quietFor(Duration duration) throws InterruptedException {
        return received.poll(duration.toMillis(), TimeUnit.MILLISECONDS) == null;
    }

    /** The close code the service sent, waiting at most {@code timeout}. */
    public int awaitClose(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public ApprovalResponse answer(String signInId, Decision decision, String number) {
        return ApprovalResponse.sign(signInId, deviceId(), decision, number, signer);
    }

    public void send(ChannelMessage message) {
        socket.sendText(message.encode(), true).join();
    }

    public void sendRaw(String text) {
        socket.sendText(text, true).join();
    }

    @Override
    public void close() {
        if (socket != null && !socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final DeviceSigner loginKey;
        private final StringBuilder partial = new StringBuilder();

        Listener(DeviceSigner loginKey) {
            this.loginKey = loginKey;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                ChannelMessage message = ChannelMessage.parse(partial.toString());
                partial.setLength(0);
                if (message instanceof Hello hello) {
                    String signature = loginKey.signBase64Url(SignedPayloads.channelLogin(deviceId(), hello.nonce()));
                    webSocket.sendText(new Login(signature).encode(), true);
                } else {
                    received.add(message);
                }
            }
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
