package org.countersign.bench;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Blocking waits for the main thread (never an event loop): a future's value, or an exception after a bound. */
final class Waits {
    private Waits() {
    }

    static <T> T await(Future<T> future, long seconds) {
        try {
            return future.await(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + seconds + " s", e);
        }
    }
}
