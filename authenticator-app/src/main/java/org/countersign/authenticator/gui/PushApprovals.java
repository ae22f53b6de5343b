package org.countersign.authenticator.gui;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.countersign.authenticator.push.ApprovalClient;
import org.countersign.authenticator.push.ChannelClient;
import org.countersign.authenticator.push.ChannelListener;
import org.countersign.authenticator.push.PushException;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DeviceAdded;

/**
 * Holds the push channels of the unlocked vault's push accounts while the GUI is open, hands each new sign-in
 * request to the listener once (a request repeated after a reconnect, or already expired, is dropped) and sends the
 * answers: over the channel, or over HTTP ({@link ApprovalClient}) when the channel is down.
 */
public final class PushApprovals implements AutoCloseable {
    /** How long to wait for the service's verdict after an answer was sent over the channel. */
    public static final Duration RESULT_WAIT = Duration.ofSeconds(20);

    /** What the GUI hears; calls come from network threads. */
    public interface Listener {
        void onRequest(PendingApproval approval);

        /** A line for the status bar: connected, disconnected, closed by the service. */
        default void onStatus(String message) {
        }

        /** Something the person must notice, such as a device added to their account. */
        default void onNotice(String message) {
        }

        /** A request ended without this app's answer (e.g. superseded by a newer one): its prompt should go. */
        default void onEnded(String signInId, String state) {
        }
    }

    private final Function<Optional<String>, HttpClient> httpClients;
    private final Clock clock;
    private final Listener listener;
    private final Map<String, ChannelClient> channels = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<ApprovalResult>> awaiting = new ConcurrentHashMap<>();
    private final ExecutorService http = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "countersign-gui-approval");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    public PushApprovals(Function<Optional<String>, HttpClient> httpClients, Clock clock, Listener listener) {
        this.httpClients = Objects.requireNonNull(httpClients, "httpClients");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Starts holding this account's channel (again a no-op for an account already held). */
    public void hold(PushAccount account) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        channels.computeIfAbsent(account.id(), id -> {
            ChannelClient client = new ChannelClient(httpClients.apply(account.tlsPin()), account, new Events());
            client.start();
            return client;
        });
    }

    /** How many channels are logged in right now. */
    public long readyChannels() {
        return channels.values().stream().filter(ChannelClient::isReady).count();
    }

    /**
     * Signs and sends the answer, and completes with the service's verdict ({@code approved}, {@code denied},
     * {@code expired}).
     *
     * @param number the number typed; checked and required to approve, ignored otherwise
     * @throws IllegalArgumentException at once when approving without a valid number (the message says what to type)
     */
    public CompletableFuture<String> answer(PendingApproval approval, Decision decision, String number) {
        String checked = decision == Decision.APPROVE ? PendingApproval.checkNumber(number) : null;
        String signInId = approval.signInId();
        CompletableFuture<ApprovalResult> verdict = new CompletableFuture<>();
        awaiting.put(signInId, verdict);
        ChannelClient channel = channels.get(approval.account().id());
        CompletableFuture<?> sent = channel == null
                ? CompletableFuture.failedFuture(new PushException("no channel"))
                : channel.respond(signInId, decision, checked);
        sent.whenComplete((ignored, error) -> {
            if (error != null) {
                awaiting.remove(signInId, verdict);
                overHttp(approval, decision, checked, verdict);
            }
        });
        return verdict.orTimeout(RESULT_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((result, error) -> {
                    awaiting.remove(signInId, verdict);
                    if (error == null) {
                        return result.state();
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (cause instanceof TimeoutException) {
                        throw new PushException("No verdict from the service yet. Check the sign-in screen.");
                    }
                    throw cause instanceof PushException push ? push
                            : new PushException("The answer could not be sent: " + cause.getMessage());
                });
    }

    private void overHttp(PendingApproval approval, Decision decision, String number,
                          CompletableFuture<ApprovalResult> verdict) {
        try {
            http.execute(() -> {
                try {
                    ApprovalClient client = new ApprovalClient(httpClients.apply(approval.account().tlsPin()));
                    verdict.complete(client.respond(approval.account(), approval.signInId(), decision, number));
                } catch (RuntimeException e) {
                    verdict.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            verdict.completeExceptionally(new PushException("The app is locking; the answer was not sent."));
        }
    }

    /** Closes every channel; answers still waiting fail. */
    @Override
    public void close() {
        closed = true;
        channels.values().forEach(ChannelClient::close);
        channels.clear();
        http.shutdownNow();
        awaiting.values().forEach(f -> f.completeExceptionally(new PushException("The app was locked.")));
        awaiting.clear();
    }

    private final class Events implements ChannelListener {
        @Override
        public void onRequest(PushAccount account, ApprovalRequest request) {
            PendingApproval approval = new PendingApproval(account, request);
            if (closed || approval.isExpired(clock) || !seen.add(request.signInId())) {
                return;
            }
            listener.onRequest(approval);
        }

        @Override
        public void onResult(PushAccount account, ApprovalResult result) {
            CompletableFuture<ApprovalResult> verdict = awaiting.get(result.signInId());
            if (verdict != null) {
                verdict.complete(result);
            } else {
                listener.onEnded(result.signInId(), result.state());
            }
        }

        @Override
        public void onDeviceAdded(PushAccount account, DeviceAdded notice) {
            listener.onNotice("A new device was added to " + PendingApproval.printable(account.displayName()) + ": "
                    + PendingApproval.printable(notice.deviceName()) + " (" + PendingApproval.printable(
                    notice.platform()) + ") at " + notice.addedAt() + ". If this wasn't you, deny any sign-in "
                    + "requests, change your password and ask your admin to remove the device.");
        }

        @Override
        public void onReady(PushAccount account) {
            listener.onStatus("Push approvals are on for " + PendingApproval.printable(account.displayName()) + ".");
        }

        @Override
        public void onDisconnected(PushAccount account, String reason, Duration retryIn) {
            listener.onStatus("Push channel of " + PendingApproval.printable(account.displayName()) + " unavailable ("
                    + PendingApproval.printable(reason) + "); retrying in " + Math.max(1, retryIn.toSeconds()) + " s.");
        }

        @Override
        public void onClosedByService(PushAccount account, int statusCode, String reason, boolean reconnecting) {
            String why = reason == null || reason.isBlank() ? "code " + statusCode : PendingApproval.printable(reason);
            listener.onStatus("The service closed the push channel of "
                    + PendingApproval.printable(account.displayName()) + ": " + why + (reconnecting ? "; reconnecting." : "."));
        }
    }
}
