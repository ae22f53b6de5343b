package org.countersign.authenticator.push;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.DeviceAdded;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Hello;
import org.countersign.protocol.Login;
import org.countersign.protocol.ProtocolException;
import org.countersign.protocol.Ready;
import org.countersign.protocol.SignedPayloads;

/**
 * Holds one push account's WebSocket channel (§3.3): answers the service's {@code hello} with a signed
 * {@code login}, waits for {@code ready}, then hands every {@code approval.request} to the listener and can send
 * signed {@code approval.response}s. When the connection drops it reconnects with {@link Backoff}, until
 * {@link #close()}, or until the service closes it for good (normal closure, policy violation such as a removed
 * device, or an application code 4000–4999), which is reported to the listener.
 */
public final class ChannelClient implements AutoCloseable {
    /** How long a connection may take to reach {@code ready} before it is dropped and tried again. */
    public static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(30);
    /** Server close codes after which reconnecting makes sense: going away, server error, restart, try later. */
    private static final Set<Integer> TRANSIENT_CLOSES = Set.of(1001, 1006, 1011, 1012, 1013, 1014);
    private static final int MAX_MESSAGE_CHARS = 64 * 1024;

    private final HttpClient http;
    private final PushAccount account;
    private final ChannelListener listener;
    private final Backoff backoff;
    private final Random jitter;
    private final ScheduledExecutorService scheduler;
    private final boolean ownScheduler;
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile Session session;
    private CompletableFuture<?> sendQueue = CompletableFuture.completedFuture(null);

    /** A client with the default backoff and its own scheduler thread. */
    public ChannelClient(HttpClient http, PushAccount account, ChannelListener listener) {
        this(http, account, listener, Backoff.DEFAULT, new Random(), null);
    }

    /**
     * @param scheduler runs reconnects and login timeouts; null for a private daemon thread, shut down by
     *                  {@link #close()} (a scheduler passed in is left running)
     */
    public ChannelClient(HttpClient http, PushAccount account, ChannelListener listener, Backoff backoff,
                         Random jitter, ScheduledExecutorService scheduler) {
        this.http = Objects.requireNonNull(http, "http");
        this.account = Objects.requireNonNull(account, "account");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.jitter = Objects.requireNonNull(jitter, "jitter");
        this.ownScheduler = scheduler == null;
        this.scheduler = scheduler != null ? scheduler : Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "countersign-channel-" + account.deviceId());
            thread.setDaemon(true);
            return thread;
        });
    }

    public PushAccount account() {
        return account;
    }

    /** Connects in the background; progress and requests reach the listener. Call once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        connect();
    }

    /** Whether the channel is logged in right now. */
    public boolean isReady() {
        Session current = session;
        return current != null && current.ready;
    }

    /**
     * Signs and sends an answer over the channel; the verdict arrives as {@link ChannelListener#onResult}.
     *
     * @param number the number shown on the sign-in screen; required to approve, ignored otherwise
     * @return completes with the message sent, or fails with a {@link PushException} when the channel is not logged
     *         in (answer over HTTP with {@link ApprovalClient} then) or the send failed
     * @throws ProtocolException at once when the id or number cannot be signed
     */
    public CompletableFuture<ApprovalResponse> respond(String signInId, Decision decision, String number) {
        ApprovalResponse response = ApprovalResponse.sign(signInId, account.deviceId(), decision,
                decision == Decision.APPROVE ? number : null, account.signer());
        Session current = session;
        if (current == null || !current.ready) {
            return CompletableFuture.failedFuture(new PushException("The push channel of " + account.displayName()
                    + " is not connected."));
        }
        return send(current.webSocket, response.encode()).handle((ignored, error) -> {
            if (error != null) {
                throw new CompletionException(new PushException("Sending the answer failed: "
                        + describe(error), 0, null, error));
            }
            return response;
        });
    }

    /** Closes the channel for good (no reconnect). */
    @Override
    public void close() {
        closed = true;
        Session current = session;
        if (current != null && current.webSocket != null) {
            current.ended.set(true);
            current.webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "closed by the user")
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((ws, error) -> current.webSocket.abort());
        }
        if (ownScheduler) {
            scheduler.shutdownNow();
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        Session next = new Session();
        session = next;
        http.newWebSocketBuilder()
                .connectTimeout(PushHttp.CONNECT_TIMEOUT)
                .buildAsync(account.channelUrl(), next)
                .whenComplete((webSocket, error) -> {
                    if (error != null) {
                        next.fail("cannot connect to " + PushHttp.origin(account.channelUrl()) + ": "
                                + describe(error));
                    } else if (closed) {
                        webSocket.abort();
                    }
                });
        schedule(() -> {
            if (!next.ready && !next.ended.get() && session == next) {
                if (next.webSocket != null) {
                    next.webSocket.abort();
                }
                next.fail("no login within " + LOGIN_TIMEOUT.toSeconds() + " s");
            }
        }, LOGIN_TIMEOUT);
    }

    private void reconnectLater(String reason) {
        if (closed) {
            return;
        }
        Duration delay = backoff.delay(failedAttempts.getAndIncrement(), jitter);
        safely(() -> listener.onDisconnected(account, reason, delay));
        schedule(this::connect, delay);
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private synchronized CompletableFuture<WebSocket> send(WebSocket webSocket, String text) {
        // java.net.http allows one outstanding send at a time: chain them.
        CompletableFuture<WebSocket> next = sendQueue.handle((ignored, error) -> null)
                .thenCompose(ignored -> webSocket.sendText(text, true));
        sendQueue = next;
        return next;
    }

    private void safely(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // A listener's failure must not break the channel.
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    /** One connection attempt; events from an old attempt are ignored. */
    private final class Session implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile WebSocket webSocket;
        private volatile boolean ready;

        @Override
        public void onOpen(WebSocket webSocket) {
            this.webSocket = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (text.length() > MAX_MESSAGE_CHARS) {
                webSocket.abort();
                fail("the service sent a message larger than " + MAX_MESSAGE_CHARS + " characters");
                return null;
            }
            if (last) {
                String frame = text.toString();
                text.setLength(0);
                handle(webSocket, frame);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ready = false;
            if (!ended.compareAndSet(false, true) || closed) {
                return null;
            }
            boolean reconnect = TRANSIENT_CLOSES.contains(statusCode);
            safely(() -> listener.onClosedByService(account, statusCode, reason, reconnect));
            if (reconnect) {
                reconnectLater("the service closed the channel (" + statusCode
                        + (reason == null || reason.isBlank() ? "" : ", " + reason) + ")");
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            fail("connection lost: " + describe(error));
        }

        void fail(String reason) {
            ready = false;
            if (ended.compareAndSet(false, true)) {
                reconnectLater(reason);
            }
        }

        private void handle(WebSocket webSocket, String frame) {
            ChannelMessage message;
            try {
                message = ChannelMessage.parse(frame);
            } catch (ProtocolException e) {
                safely(() -> listener.onProtocolError(account, e.getMessage()));
                return;
            }
            try {
                dispatch(webSocket, message);
            } catch (ProtocolException e) {
                safely(() -> listener.onProtocolError(account, e.getMessage()));
            }
        }

        private void dispatch(WebSocket webSocket, ChannelMessage message) {
            if (message instanceof Hello hello) {
                String signature = account.signer().signBase64Url(
                        SignedPayloads.channelLogin(account.deviceId(), hello.nonce()));
                send(webSocket, new Login(signature).encode());
            } else if (message instanceof Ready) {
                ready = true;
                failedAttempts.set(0);
                safely(() -> listener.onReady(account));
            } else if (message instanceof ApprovalRequest request) {
                safely(() -> listener.onRequest(account, request));
            } else if (message instanceof ApprovalResult result) {
                safely(() -> listener.onResult(account, result));
            } else if (message instanceof DeviceAdded notice) {
                safely(() -> listener.onDeviceAdded(account, notice));
            } else {
                safely(() -> listener.onProtocolError(account, "unexpected message " + message.type()));
            }
        }
    }
}
