package org.countersign.push.signin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Long-poll waiters of this node. A waiter is woken when a sign-in it waits for is decided here or on another node
 * (announced over the cluster bus), or when its time is up; either way it re-reads the row, so a missed wake-up only costs the wait.
 * A waiter wakes on the context that registered it, whoever wakes it: the long poll then answers from its own
 * connection's event loop, as the HTTP server's strict thread mode requires ({@code HttpVerticle}).
 */
public final class SignInWaiters {
    private final Vertx vertx;
    /** The wake-up of each registered waiter, by sign-in. */
    private final Map<UUID, List<Runnable>> waiting = new ConcurrentHashMap<>();
    private volatile Consumer<UUID> otherNodes = id -> { };

    public SignInWaiters(Vertx vertx) {
        this.vertx = vertx;
    }

    /** A registered wait: {@code woken} completes on a wake-up, at the timeout, or when {@code cancel} runs. */
    public record Wait(Future<Void> woken, Runnable cancel) {
    }

    /** Completes when the sign-in is decided on this node or after {@code timeout}, whichever comes first. */
    public Future<Void> await(UUID signInId, Duration timeout) {
        return register(signInId, timeout).woken();
    }

    /**
     * Registers a waiter before the caller's last read of the row, so that a decision committed between that read
     * and the wait still wakes it (the caller cancels the wait when its read already shows the decision).
     */
    public Wait register(UUID signInId, Duration timeout) {
        Context context = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        // a wake comes from another request's or the cluster bus's event loop: hop back to the waiter's
        Runnable wake = () -> context.runOnContext(v -> promise.tryComplete());
        // added inside compute, so a concurrent removal of the last waiter cannot orphan this one's list
        waiting.compute(signInId, (id, wakes) -> {
            List<Runnable> list = wakes != null ? wakes : new CopyOnWriteArrayList<>();
            list.add(wake);
            return list;
        });
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> promise.tryComplete());
        Future<Void> woken = promise.future().andThen(done -> {
            vertx.cancelTimer(timer);
            waiting.computeIfPresent(signInId, (id, wakes) -> {
                wakes.remove(wake);
                return wakes.isEmpty() ? null : wakes;
            });
        });
        return new Wait(woken, wake);
    }

    /** From now on every {@link #wake} is also announced to the other nodes, whose waiters then re-read. */
    public void announceWakesTo(Consumer<UUID> otherNodes) {
        this.otherNodes = otherNodes;
    }

    /** Wakes every waiter of the sign-in, here and on the other nodes. Call after the decision committed. */
    public void wake(UUID signInId) {
        wakeHere(signInId);
        otherNodes.accept(signInId);
    }

    /** Wakes the waiters of the sign-in on this node only. */
    public void wakeHere(UUID signInId) {
        List<Runnable> list = waiting.get(signInId);
        if (list != null) {
            list.forEach(Runnable::run);
        }
    }

    /** Wakes every waiter on this node: they re-read their sign-ins (after this node may have missed wake-ups). */
    public void wakeAllHere() {
        waiting.values().forEach(list -> list.forEach(Runnable::run));
    }

    int waiterCount() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }
}
