package org.countersign.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Hello;
import org.countersign.protocol.Login;
import org.countersign.protocol.Ready;
import org.countersign.protocol.SignedPayloads;

/**
 * Simulated authenticators: one Vert.x WebSocket per device, logged in as protocol §3.3 says (hello nonce, login
 * signed with the device's Ed25519 key, ready). Each {@code approval.request} is reported to the {@link Screen};
 * when the person has read the number there, the device answers with a real signed {@code approval.response}.
 */
public final class DeviceFleet implements AutoCloseable {
    /** Logins a channel may try: a real app reconnects when its login is closed, e.g. by a busy node (1011). */
    private static final int LOGIN_ATTEMPTS = 3;
    private static final long RETRY_DELAY_MILLIS = 1_000;

    private final Vertx vertx;
    private final WebSocketClient client;
    private final Screen screen;
    private final List<Channel> channels = new ArrayList<>();
    private final AtomicLong errors = new AtomicLong();

    public DeviceFleet(Vertx vertx, Screen screen) {
        this.vertx = vertx;
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
                .setConnectTimeout(30_000));
        this.screen = screen;
    }

    /** One logged-in device connection. */
    public final class Channel {
        private final SimDevice device;
        private final Promise<Channel> ready = Promise.promise();
        private WebSocket socket;

        Channel(SimDevice device) {
            this.device = device;
        }

        public SimDevice device() {
            return device;
        }

        void onFrame(String text) {
            ChannelMessage message = ChannelMessage.parse(text);
            if (message instanceof Hello hello) {
                String deviceId = device.deviceId().toString();
                socket.writeTextMessage(new Login(device.signer().signBase64Url(
                        SignedPayloads.channelLogin(deviceId, hello.nonce()))).encode());
            } else if (message instanceof Ready) {
                ready.tryComplete(this);
            } else if (message instanceof ApprovalRequest request) {
                screen.rang(request.signInId(), this, System.nanoTime());
            } else if (message instanceof ChannelError) {
                errors.incrementAndGet();
            }
        }

        /** Signs and sends the approval with the number the person read: what their thumb does. */
        void approve(String signInId, String number) {
            socket.writeTextMessage(ApprovalResponse.sign(signInId, device.deviceId().toString(), Decision.APPROVE,
                    number, device.signer()).encode());
        }

        Future<Void> close() {
            return socket == null || socket.isClosed() ? Future.succeededFuture() : socket.close();
        }
    }

    /**
     * Connects and logs in every device to {@code port} on 127.0.0.1, at most {@code concurrency} handshakes at a
     * time; fails if any login is refused.
     */
    public Future<List<Channel>> connect(List<SimDevice> devices, int port, int concurrency) {
        Iterator<SimDevice> next = devices.iterator();
        List<Future<Void>> lanes = new ArrayList<>();
        List<Channel> connected = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            lanes.add(lane(next, port, connected));
        }
        return Future.all(lanes).map(all -> {
            synchronized (connected) {
                return List.copyOf(connected);
            }
        });
    }

    private Future<Void> lane(Iterator<SimDevice> next, int port, List<Channel> connected) {
        SimDevice device;
        synchronized (next) {
            if (!next.hasNext()) {
                return Future.succeededFuture();
            }
            device = next.next();
        }
        return open(device, port, LOGIN_ATTEMPTS).compose(channel -> {
            synchronized (connected) {
                connected.add(channel);
            }
            return lane(next, port, connected);
        });
    }

    private Future<Channel> open(SimDevice device, int port, int attempts) {
        return open(device, port).recover(failure -> attempts <= 1 ? Future.failedFuture(failure)
                : vertx.timer(RETRY_DELAY_MILLIS).compose(ignored -> open(device, port, attempts - 1)));
    }

    private Future<Channel> open(SimDevice device, int port) {
        Channel channel = new Channel(device);
        synchronized (channels) {
            channels.add(channel);
        }
        return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
                        .setURI("/api/v1/devices/" + device.deviceId() + "/channel"))
                .compose(socket -> {
                    channel.socket = socket;
                    socket.textMessageHandler(channel::onFrame);
                    socket.closeHandler(v -> channel.ready.tryFail("closed before ready: "
                            + socket.closeStatusCode() + " " + socket.closeReason()));
                    return channel.ready.future();
                });
    }

    /** Channel errors the service sent (refused answers). */
    public long errors() {
        return errors.get();
    }

    /** Closes every channel of this fleet. */
    public Future<Void> closeAll() {
        List<Future<Void>> closing = new ArrayList<>();
        synchronized (channels) {
            channels.forEach(channel -> closing.add(channel.close()));
            channels.clear();
        }
        return Future.join(closing).mapEmpty();
    }

    @Override
    public void close() {
        closeAll();
        client.close();
    }
}
