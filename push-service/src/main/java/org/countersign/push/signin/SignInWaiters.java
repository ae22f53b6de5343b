package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Long-poll waiters of this node. A waiter is woken when a sign-in it waits for is decided here, or when its time
 * is up; either way it re-reads the row, so a missed wake-up only costs the wait.
 */
public final class SignInWaiters {
    private final Vertx vertx;
    private final Map<UUID, List<Promise<Void>>> waiting = new ConcurrentHashMap<>();

    public SignInWaiters(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Completes when the sign-in is decided on this node or after {@code timeout}, whichever comes first. */
    public Future<Void> await(UUID signInId, Duration timeout) {
        Promise<Void> promise = Promise.promise();
        List<Promise<Void>> list = waiting.computeIfAbsent(signInId, id -> new CopyOnWriteArrayList<>());
        list.add(promise);
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> promise.tryComplete());
        return promise.future().andThen(done -> {
            vertx.cancelTimer(timer);
            waiting.computeIfPresent(signInId, (id, promises) -> {
                promises.remove(promise);
                return promises.isEmpty() ? null : promises;
            });
        });
    }

    /** Wakes every waiter of the sign-in. */
    public void wake(UUID signInId) {
        List<Promise<Void>> list = waiting.get(signInId);
        if (list != null) {
            list.forEach(Promise::tryComplete);
        }
    }

    int waiterCount() {
        return waiting.values().stream().mapToInt(List::size).sum();
    }
}
