package org.countersign.push.signin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.countersign.push.domain.SignIn;

/**
 * Long-poll waiters of this node. A waiter is woken when a sign-in it waits for is decided here or on another node
 * (announced over the cluster bus), or when its time is up. A decision made on this node by one statement hands its
 * committed row to the waiters ({@link #wake(SignIn)}), which then need no read; every other wake-up carries no row
 * and the waiter re-reads, so a missed wake-up only costs the wait.
 *
 * <p>A waiter wakes on the context that registered it, whoever wakes it: the long poll then answers from its own
 * connection's event loop, as the HTTP server's strict thread mode requires ({@code HttpVerticle}).
 */
public final class SignInWaiters {
    private final Vertx vertx;
    /** The wake-up of each registered waiter, by sign-in. */
    private final Map<UUID, List<Consumer<Optional<SignIn>>>> waiting = new ConcurrentHashMap<>();
    private volatile Consumer<UUID> otherNodes = id -> { };

    public SignInWaiters(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * A registered wait. {@link #woken} completes on a wake-up, at the timeout, or on {@link #cancel}: with the decided
     * row when the wake-up brought it, else empty (the waiter then reads the row itself).
     */
    public final class Wait {
        private final Promise<Optional<SignIn>> promise;
        private final Future<Optional<SignIn>> woken;

        private Wait(Promise<Optional<SignIn>> promise, Future<Optional<SignIn>> woken) {
            this.promise = promise;
            this.woken = woken;
        }

        public Future<Optional<SignIn>> woken() {
            return woken;
        }

        /** Ends the wait now, without a row. */
        public void cancel() {
            promise.tryComplete(Optional.empty());
        }

        /** Ends the wait within {@code timeout} at the latest (e.g. at the sign-in's expiry, learnt after registering). */
        public void endWithin(Duration timeout) {
            long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> cancel());
            woken.onComplete(done -> vertx.cancelTimer(timer));
        }
    }

    /**
     * Registers a waiter before the caller's read of the row, so that a decision committed after that read still
     * wakes it (the caller cancels the wait when its read already shows the decision).
     */
    public Wait register(UUID signInId, Duration timeout) {
        Context context = vertx.getOrCreateContext();
        Promise<Optional<SignIn>> promise = Promise.promise();
        // a wake comes from another request's or the cluster bus's event loop: hop back to the waiter's
        Consumer<Optional<SignIn>> wake = decided -> context.runOnContext(v -> promise.tryComplete(decided));
        // added inside compute, so a concurrent removal of the last waiter cannot orphan this one's list
        waiting.compute(signInId, (id, wakes) -> {
            List<Consumer<Optional<SignIn>>> list = wakes != null ? wakes : new CopyOnWriteArrayList<>();
            list.add(wake);
            return list;
        });
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> promise.tryComplete(Optional.empty()));
        Future<Optional<SignIn>> woken = promise.future().andThen(done -> {
            vertx.cancelTimer(timer);
            waiting.computeIfPresent(signInId, (id, wakes) -> {
                wakes.remove(wake);
                return wakes.isEmpty() ? null : wakes;
            });
        });
        return new Wait(promise, woken);
    }

    /** From now on every {@link #wake} is also announced to the other nodes, whose waiters then re-read. */
    public void announceWakesTo(Consumer<UUID> otherNodes) {
        this.otherNodes = otherNodes;
    }

    /** Wakes every waiter of the sign-in, here and on the other nodes. Call after the decision committed. */
    public void wake(UUID signInId) {
        wakeHere(signInId, Optional.empty());
        otherNodes.accept(signInId);
    }

    /**
     * As {@link #wake(UUID)}, handing this node's waiters the row as committed by the decision, so that they need not
     * read it again. Only for a row returned by the committed statement that decided it.
     */
    public void wake(SignIn decided) {
        wakeHere(decided.id(), Optional.of(decided));
        otherNodes.accept(decided.id());
    }

    /** Wakes the waiters of the sign-in on this node only; they re-read it. */
    public void wakeHere(UUID signInId) {
        wakeHere(signInId, Optional.empty());
    }

    private void wakeHere(UUID signInId, Optional<SignIn> decided) {
        List<Consumer<Optional<SignIn>>> list = waiting.get(signInId);
        if (list != null) {
            list.forEach(wake -> wake.accept(decided));
        }
    }

    /** Wakes every waiter on this node: they re-read their sign-ins (after this node may have missed wake-ups). */
    public void wakeAllHere() {
        waiting.values().forEach(list -> list.forEach(wake -> wake.accept(Optional.empty())));
    }

    int waiterCount() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }
}
