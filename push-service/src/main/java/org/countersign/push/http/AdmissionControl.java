package org.countersign.push.http;

import io.vertx.core.Handler;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.countersign.push.ApiError;

/**
 * Overload shedding, by two rules. Both answer 503 {@code overloaded} with {@code Retry-After: 1} at once, before
 * any database work, so that a flood makes the node refuse the excess instead of queueing it until everything
 * times out.
 *
 * <ol>
 *   <li>Fixed bounds: at most {@code maxInFlight} requests are served at once on this node, and at most
 *       {@code maxLongPolls} long polls (a {@code waitSeconds} other than 0) wait at once; one more of either is
 *       refused. The two are apart because they are different resources: a request in flight is work (the event
 *       loop, soon a database connection), a long poll waits for a person for seconds and holds only its connection.
 *       Counted together, polls of work already admitted fill the bound during an overload and the node refuses the
 *       reads that would finish that work. {@code /health} (load balancers must see a busy node as alive) and
 *       WebSocket upgrades (channels live for hours) are not counted.</li>
 *   <li>Latency (when a target is set): while the node has a {@link StandingQueue} of requests, or a
 *       {@link StandingDelay} in front of its database pool (every wait for a connection of an interval longer than
 *       the same target, reported through {@link #databaseWaited}), requests that start new work (routes declared
 *       with {@link #newWork(Router, String)}: a sign-in, a relying party's check) are refused as soon as their
 *       headers are read, and requests that finish work already admitted (result reads, long polls, device answers,
 *       codes, admin) are still served, so that what was started completes instead of everything slowing down
 *       together. The database's queue counts because work that is not a request queues there too (devices answer
 *       over their channels): with requests alone, an overload was seen only through the few new checks admitted,
 *       late and in bursts, and admitted work waited a second.</li>
 * </ol>
 *
 * <p>The samples of the standing queue are the latencies, from the request's body received to its answer, of the
 * JSON API's successes ({@code /api/}, {@code /web/}, 2xx): failures may stop before any queue (a bad body needs no
 * database) and would hide one. Left out as well: long polls (a {@code waitSeconds} other than 0), which wait on
 * purpose, and routes marked {@link #hashesAPassword()}, whose time is Argon2's. A database pool whose wait queue is
 * full is an overload one layer down and is answered the same way.
 */
public final class AdmissionControl implements Handler<RoutingContext> {
    static final String RETRY_AFTER_SECONDS = "1";
    private static final String RECEIVED_AT = "countersign.admission.receivedAt";
    private static final String ANSWERED_AT = "countersign.admission.answeredAt";
    private static final String HASHES_A_PASSWORD = "countersign.admission.hashesAPassword";
    private static final Handler<RoutingContext> MARK_PASSWORD_HASHING = ctx -> {
        ctx.put(HASHES_A_PASSWORD, Boolean.TRUE);
        ctx.next();
    };

    private final int maxInFlight;
    private final int maxLongPolls;
    private final Optional<StandingQueue> queue;
    private final Optional<StandingDelay> databaseQueue;
    private final LongSupplier nanoTime;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger longPolls = new AtomicInteger();
    /** Paths of {@code POST} routes that start new work ({@link #newWork(Router, String)}). */
    private final Set<String> newWorkPaths = ConcurrentHashMap.newKeySet();
    private final LongAdder refusedOverBound = new LongAdder();
    private final LongAdder shedNewWork = new LongAdder();

    /** The fixed bounds only. */
    public AdmissionControl(int maxInFlight, int maxLongPolls) {
        this(maxInFlight, maxLongPolls, Duration.ZERO, System::nanoTime);
    }

    /**
     * @param latencyTarget the standing queue's target; zero turns the latency rule off
     * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public AdmissionControl(int maxInFlight, int maxLongPolls, Duration latencyTarget, LongSupplier nanoTime) {
        if (maxInFlight < 1 || maxLongPolls < 1) {
            throw new IllegalArgumentException("the bounds must be positive");
        }
        this.maxInFlight = maxInFlight;
        this.maxLongPolls = maxLongPolls;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.queue = latencyTarget.isZero() ? Optional.empty()
                : Optional.of(new StandingQueue(latencyTarget, nanoTime));
        this.databaseQueue = latencyTarget.isZero() ? Optional.empty()
                : Optional.of(new StandingDelay(latencyTarget, nanoTime));
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (exempt(ctx)) {
            ctx.next();
            return;
        }
        boolean longPoll = waitsOnPurpose(ctx);
        AtomicInteger counted = longPoll ? longPolls : inFlight;
        if (counted.incrementAndGet() > (longPoll ? maxLongPolls : maxInFlight)) {
            counted.decrementAndGet();
            refusedOverBound.increment();
            refuse(ctx);
            return;
        }
        Optional<StandingQueue> timed = longPoll ? Optional.empty() : queue;
        timed.ifPresent(StandingQueue::arrived);
        ctx.addHeadersEndHandler(v -> ctx.put(ANSWERED_AT, nanoTime.getAsLong()));
        ctx.addEndHandler(done -> {
            counted.decrementAndGet();
            timed.ifPresent(standing -> sample(ctx).ifPresentOrElse(standing::departed, standing::departed));
        });
        if (startsNewWork(ctx) && !admitsNewWork()) {
            // before the body is read and the router looks for the route: during an overload most requests are
            // these, and each should cost the node as little as a refusal can
            shedNewWork.increment();
            refuse(ctx);
            return;
        }
        ctx.next();
    }

    /**
     * Declares {@code POST path} as new work on {@code router}: while the node is overloaded it is refused with 503
     * {@code overloaded} as soon as its headers are read, and again (for a path the router matched only after
     * normalising it) as its route's first handler. Returns the route, for the route's own handlers.
     */
    public Route newWork(Router router, String path) {
        newWorkPaths.add(path);
        return router.post(path).handler(newWork());
    }

    /** Put after the body is read and before the routes: a sample's latency starts here, not with a slow upload. */
    public Handler<RoutingContext> bodyReceived() {
        return ctx -> {
            ctx.put(RECEIVED_AT, nanoTime.getAsLong());
            ctx.next();
        };
    }

    /**
     * The first handler of a route that starts new work: while the node has a standing queue it answers 503
     * {@code overloaded}, before the route reads anything or touches the database.
     */
    public Handler<RoutingContext> newWork() {
        return ctx -> {
            if (!admitsNewWork()) {
                shedNewWork.increment();
                refuse(ctx);
                return;
            }
            ctx.next();
        };
    }

    /** No standing queue of requests, nor of the database pool. Asked by a request that has arrived. */
    private boolean admitsNewWork() {
        return queue.map(StandingQueue::admitsNewWork).orElse(true) && !databaseQueueStanding();
    }

    private boolean startsNewWork(RoutingContext ctx) {
        return ctx.request().method() == HttpMethod.POST && newWorkPaths.contains(ctx.request().path());
    }

    /** A request for a database connection waited {@code nanos} for one (from {@code ConnectionWaits}). */
    public void databaseWaited(long nanos) {
        databaseQueue.ifPresent(delay -> delay.waited(nanos));
    }

    /** Whether the database pool has a standing queue now (always false with the latency rule off). */
    public boolean databaseQueueStanding() {
        return databaseQueue.isPresent() && databaseQueue.get().standing();
    }

    /** A handler for a route that hashes a password: its latency is Argon2's (slow on purpose), not a sample. */
    public static Handler<RoutingContext> hashesAPassword() {
        return MARK_PASSWORD_HASHING;
    }

    /** Requests being served now on this node, long polls apart (for tests and metrics). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Long polls waiting now on this node (for tests and metrics). */
    public int longPolls() {
        return longPolls.get();
    }

    /** Requests refused because {@code maxInFlight} requests or {@code maxLongPolls} polls were held, since the start. */
    public long refusedOverBound() {
        return refusedOverBound.sum();
    }

    /** Requests for new work refused because of a standing queue, since the start. */
    public long shedNewWork() {
        return shedNewWork.sum();
    }

    /** The latency rule's target, when it is on. */
    public Optional<Duration> latencyTarget() {
        return queue.map(StandingQueue::target);
    }

    private static boolean exempt(RoutingContext ctx) {
        String upgrade = ctx.request().getHeader(HttpHeaders.UPGRADE);
        // the raw path: normalizedPath() throws on a malformed escape, which the router answers with 400 later
        return "/health".equals(ctx.request().path())
                || (upgrade != null && upgrade.equalsIgnoreCase("websocket"));
    }

    /** A long poll: {@code waitSeconds} present and not 0 (a malformed query is the route's to refuse). */
    private static boolean waitsOnPurpose(RoutingContext ctx) {
        try {
            String wait = ctx.request().getParam("waitSeconds");
            return wait != null && !wait.equals("0");
        } catch (RuntimeException malformedQuery) {
            return false;
        }
    }

    /** The request's latency, when it is a sample of the queue. */
    private static Optional<Duration> sample(RoutingContext ctx) {
        Long receivedAt = ctx.get(RECEIVED_AT);
        Long answeredAt = ctx.get(ANSWERED_AT);
        int status = ctx.response().getStatusCode();
        String path = ctx.request().path();
        if (receivedAt == null || answeredAt == null || status < 200 || status > 299 || path == null
                || !(path.startsWith("/api/") || path.startsWith("/web/")) || ctx.get(HASHES_A_PASSWORD) != null) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(answeredAt - receivedAt));
    }

    private static void refuse(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
        FailureHandler.send(ctx, overloaded());
    }

    static ApiError overloaded() {
        return new ApiError(503, "overloaded", "The service is busy. Try again in a second.");
    }

    /**
     * Answers a failure that means "too busy" (the database pool's wait queue is full) with 503 {@code overloaded};
     * false for any other failure, which the caller handles.
     */
    static boolean answerIfTooBusy(RoutingContext ctx, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException) {
                refuse(ctx);
                return true;
            }
        }
        return false;
    }
}
