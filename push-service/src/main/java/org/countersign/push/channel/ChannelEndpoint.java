package org.countersign.push.channel;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
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

    /** Takes over an upgraded socket for the device named in the address. */
    public void accept(ServerWebSocket socket, UUID deviceId) {
        new Connection(socket, deviceId).start();
    }

    private final class Connection {
        private final ServerWebSocket socket;
        private final UUID deviceId;
        private final String nonce = tokens.newToken();
        private DeviceChannel channel;
        private boolean loggingIn;
        private long loginTimer;

        Connection(ServerWebSocket socket, UUID deviceId) {
            this.socket = socket;
            this.deviceId = deviceId;
        }

        void start() {
            loginTimer = vertx.setTimer(LOGIN_TIMEOUT.toMillis(),
                    t -> socket.close(CloseCodes.LOGIN_TIMEOUT, "no login in time"));
            socket.textMessageHandler(this::onText);
            socket.binaryMessageHandler(b -> socket.close(CloseCodes.BAD_MESSAGE, "text frames only"));
            // a message over the size limit is dropped by Vert.x with an exception: close rather than go silent
            socket.exceptionHandler(e -> {
                if (!socket.isClosed()) {
                    socket.close(CloseCodes.TOO_BIG, "message too big or malformed");
                }
            });
            socket.pongHandler(b -> {
                if (channel != null) {
                    channel.missedPongs = 0;
                }
            });
            // a node going down says "going away" (Vert.x would say 1000, after which apps stop reconnecting)
            socket.shutdownHandler(v -> socket.close(CloseCodes.GOING_AWAY, "service shutting down"));
            socket.closeHandler(v -> {
                vertx.cancelTimer(loginTimer);
                if (channel != null) {
                    registry.unregister(channel);
                }
            });
            socket.writeTextMessage(new Hello(nonce).encode());
        }

        private void onText(String text) {
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
                socket.writeTextMessage(message.encode());
            }
        }
    }
}
