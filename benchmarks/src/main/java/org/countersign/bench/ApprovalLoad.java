package org.countersign.bench;

import io.vertx.core.Future;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One approval as a user feels it, started at its intended time: the relying party creates a push check, the
 * person reads the number from the create answer and types it on the device that rang, the device signs its
 * answer, and the relying party's long poll returns {@code approved}. Records the round trip and the push
 * delivery (create call to request frame at the device), both from the intended start.
 *
 * <p>Each check takes a user from {@code freeUsers} and gives it back when the check ends, because the service
 * keeps one pending push per user. No free user means the generator's own bound was hit: counted, not hidden.
 */
public final class ApprovalLoad {
    private static final int LONG_POLL_SECONDS = 10;
    private static final long GIVE_UP_NANOS = 40_000_000_000L;

    private final RpClient rp;
    private final Screen screen;
    private final Queue<String> freeUsers;
    final Latencies roundTrip = new Latencies();
    final Latencies push = new Latencies();
    final Latencies create = new Latencies();
    final LongAdder approved = new LongAdder();
    final LongAdder shed = new LongAdder();
    final LongAdder rateLimited = new LongAdder();
    final LongAdder notApproved = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder noFreeUser = new LongAdder();
    final AtomicReference<String> firstError = new AtomicReference<>();

    public ApprovalLoad(RpClient rp, Screen screen, Queue<String> freeUsers) {
        this.rp = rp;
        this.screen = screen;
        this.freeUsers = freeUsers;
    }

    /** One check, due at {@code intendedNanos} ({@link System#nanoTime()}). */
    public Future<Void> once(long intendedNanos) {
        String user = freeUsers.poll();
        if (user == null) {
            noFreeUser.increment();
            return Future.succeededFuture();
        }
        return rp.createPush(user).compose(reply -> {
            create.record(System.nanoTime() - intendedNanos);
            if (reply.status() == 201 && reply.string("checkId") != null && reply.string("number") != null) {
                String checkId = reply.string("checkId");
                Screen.Check check = screen.shown(checkId, reply.string("number"));
                return awaitDecision(checkId, intendedNanos + GIVE_UP_NANOS).map(state -> {
                    long end = System.nanoTime();
                    if ("approved".equals(state)) {
                        approved.increment();
                        roundTrip.record(end - intendedNanos);
                        push.record(check.requestArrivedNanos() - intendedNanos);
                    } else {
                        notApproved.increment();
                        firstError.compareAndSet(null, "check ended " + state);
                    }
                    screen.done(checkId);
                    return (Void) null;
                });
            }
            if (reply.status() == 503) {
                shed.increment();
            } else if (reply.status() == 429) {
                rateLimited.increment();
            } else {
                errors.increment();
                firstError.compareAndSet(null, "create answered " + reply.status() + " " + reply.json());
            }
            return Future.<Void>succeededFuture();
        }).recover(failure -> {
            errors.increment();
            firstError.compareAndSet(null, String.valueOf(failure));
            return Future.succeededFuture();
        }).onComplete(ignored -> freeUsers.add(user));
    }

    private Future<String> awaitDecision(String checkId, long giveUpAt) {
        return rp.result(checkId, LONG_POLL_SECONDS).compose(reply -> {
            String state = reply.status() == 200 ? reply.string("state") : "http-" + reply.status();
            if ("pending".equals(state) && System.nanoTime() < giveUpAt) {
                return awaitDecision(checkId, giveUpAt);
            }
            return Future.succeededFuture(state);
        });
    }

    /** Adds the counters (not the latencies) to {@code result}. */
    public Result.Builder addCounts(Result.Builder result) {
        result.put("approved", approved.sum()).put("notApproved", notApproved.sum()).put("shed503", shed.sum())
                .put("rateLimited429", rateLimited.sum()).put("errors", errors.sum())
                .put("generatorNoFreeUser", noFreeUser.sum());
        if (firstError.get() != null) {
            result.put("firstError", firstError.get());
        }
        return result;
    }
}
