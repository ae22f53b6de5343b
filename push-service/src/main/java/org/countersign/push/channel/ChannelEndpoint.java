package org.countersign.push.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Hello;
import org.countersign.protocol.Login;
import org.countersign.protocol.ProtocolException;
import org.countersign.protocol.Ready;
import org.countersign.protocol.SignedPayloads;
import org.countersign.push.ApiError;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.User;
import org.countersign.push.signin.ApprovalService;
import org.countersign.push.signin.SignInService;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;

/**
 * Runs one device connection (ARCHITECTURE.md §3.3): {@code hello} with a fresh nonce, a {@code login} signed by
 * the device key over {@link SignedPayloads#channelLogin}, {@code ready}, every request still pending, then
 * {@code approval.response} frames answered with {@code approval.result} (or {@code error}).
 */
public final class ChannelEndpoint {
    public static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final Pool pool;
    private final DeviceStore devices;
    private final SignInStore signIns;
    private final UserStore users;
    private final ApprovalService approvals;
    private final ChannelRegistry registry;
    private final Tokens tokens;
    private final Clock clock;

    public ChannelEndpoint(Vertx vertx, Pool pool, DeviceStore devices, SignInStore signIns, UserStore users,
                           ApprovalService approvals, ChannelRegistry registry, Tokens tokens, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx);
        this.pool = Objects.requireNonNull(pool);
        this.devices = Objects.requireNonNull(devices);
        this.signIns = Objects.requireNonNull(signIns);
        this.users = Objects.requireNonNull(users);
        this.approvals = Objects.requireNonNull(approvals);
        this.registry = Objects.requireNonNull(registry);
        this.tokens = Objects.requireNonNull(tokens);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Runs the channel of the device named in the address on {@code socket}; call on the socket's context. */
    public void accept(ChannelSocket socket, UUID deviceId) {
        new Connection(socket, deviceId).start();
    }

    private final class Connection implements ChannelSocket.Events {
        private final ChannelSocket socket;
        private final UUID deviceId;
        private final String nonce = tokens.newToken();
        private DeviceChannel channel;
        private boolean loggingIn;
        private long loginTimer;

        Connection(ChannelSocket socket, UUID deviceId) {
            this.socket = socket;
            this.deviceId = deviceId;
        }

        void start() {
            loginTimer = vertx.setTimer(LOGIN_TIMEOUT.toMillis(),
                    t -> socket.close(CloseCodes.LOGIN_TIMEOUT, "no login in time"));
            socket.listen(this);
            socket.sendText(new Hello(nonce).encode());
        }

        @Override
        public void onBinary() {
            socket.close(CloseCodes.BAD_MESSAGE, "text frames only");
        }

        /** Close rather than go silent: the message was dropped unread. */
        @Override
        public void onUnreadable() {
            socket.close(CloseCodes.TOO_BIG, "message too big or malformed");
        }

        @Override
        public void onPong() {
            if (channel != null) {
                channel.missedPongs = 0;
            }
        }

        /** A node going down says "going away": after a normal closure (1000) apps stop reconnecting. */
        @Override
        public void onShutdown() {
            socket.close(CloseCodes.GOING_AWAY, "service shutting down");
        }

        @Override
        public void onClosed() {
            vertx.cancelTimer(loginTimer);
            if (channel != null) {
                registry.unregister(channel);
            }
        }

        @Override
        public void onText(String text) {
            ChannelMessage message;
            try {
                message = ChannelMessage.parse(text);
            } catch (ProtocolException e) {
                if (channel == null) {
                    socket.close(CloseCodes.BAD_MESSAGE, "not a protocol message");
                } else {
                    send(new ChannelError(null, "invalid_message", e.getMessage()));
                }
                return;
            }
            if (channel == null) {
                onLogin(message);
            } else if (message instanceof ApprovalResponse response) {
                onResponse(response);
            } else {
                send(new ChannelError(null, "unexpected_message", "Only approval.response is expected now."));
            }
        }

        private void onLogin(ChannelMessage message) {
            if (loggingIn || !(message instanceof Login login)) {
                socket.close(CloseCodes.LOGIN_REFUSED, "login expected");
                return;
            }
            loggingIn = true;
            devices.findById(pool, deviceId).onComplete(found -> {
                Optional<Device> device = found.succeeded() ? found.result() : Optional.empty();
                if (found.failed()) {
                    socket.close((short) 1011, "try again later");
                } else if (device.isEmpty() || device.get().isRemoved()) {
                    socket.close(CloseCodes.DEVICE_REMOVED, "unknown or removed device");
                } else if (!device.get().publicKey().verify(
                        SignedPayloads.channelLogin(deviceId.toString(), nonce), login.signature())) {
                    socket.close(CloseCodes.LOGIN_REFUSED, "login refused");
                } else {
                    loggedIn(device.get());
                }
            });
        }

        private void loggedIn(Device device) {
            vertx.cancelTimer(loginTimer);
            channel = new DeviceChannel(deviceId, socket);
            registry.register(channel);
            send(new Ready());
            // Re-read after registering: a removal that ran between the check and the registration must win.
            devices.findById(pool, deviceId).compose(current -> {
                if (current.isEmpty() || current.get().isRemoved()) {
                    registry.disconnect(deviceId, "device removed");
                    return Future.succeededFuture();
                }
                return sendPending(current.get());
            });
        }

        private Future<Void> sendPending(Device device) {
            return signIns.pendingFor(pool, device, clock.instant())
                    .compose(pending -> users.findById(pool, device.userId()).map(user -> {
                        String username = user.map(User::username).orElse("");
                        pending.forEach(signIn -> send(SignInService.approvalRequest(signIn, username)));
                        return null;
                    }));
        }

        private void onResponse(ApprovalResponse response) {
            UUID signInId;
            try {
                signInId = UUID.fromString(response.signInId());
            } catch (IllegalArgumentException e) {
                send(new ChannelError(response.signInId(), "not_found", "That sign-in does not exist."));
                return;
            }
            approvals.respond(signInId, response, Optional.of(deviceId)).onComplete(result -> {
                if (result.succeeded()) {
                    send(result.result());
                } else if (result.cause() instanceof ApiError error) {
                    send(new ChannelError(response.signInId(), error.code(), error.getMessage()));
                } else {
                    send(new ChannelError(response.signInId(), "unavailable", "Try again later."));
                }
            });
        }

        private void send(ChannelMessage message) {
            if (!socket.isClosed()) {
                socket.sendText(message.encode());
            }
        }
    }
}
