package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.countersign.protocol.SignInKind;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.SignInStore.Expired;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends prompts nobody answered: a pending sign-in whose time is up becomes {@code expired}, and the same transaction
 * records it as {@code sign_in.mfa} (or {@code registration.test} for the test push of a registration) with outcome
 * {@code expired}, the person as actor and target. It happens when someone reads the sign-in, and in a sweep every
 * {@link #DEFAULT_INTERVAL} for prompts nobody reads. Each expiry is one conditional UPDATE ({@code FOR UPDATE SKIP
 * LOCKED} in the sweep), so however many nodes and readers race, exactly one of them records it.
 */
public final class SignInExpiry {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    static final int BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(SignInExpiry.class);

    private final Vertx vertx;
    private final Pool pool;
    private final SignInStore signIns;
    private final AuditLog audit;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public SignInExpiry(Vertx vertx, Pool pool, SignInStore signIns, AuditLog audit, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx);
        this.pool = Objects.requireNonNull(pool);
        this.signIns = Objects.requireNonNull(signIns);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    public void start(Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                sweepAll().onFailure(e -> LOG.warn("Expiring unanswered sign-ins failed: {}", e.getMessage()))
                        .onComplete(done -> running.set(false));
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Expires (and records) one sign-in if it is still pending and its time is up; true when this call did. */
    public Future<Boolean> expireIfDue(SqlClient sql, UUID signInId) {
        return signIns.expireIfDue(sql, signInId, clock.instant()).compose(expired -> expired.isEmpty()
                ? Future.succeededFuture(false)
                : record(sql, List.of(expired.get())).map(true));
    }

    /** Sweeps batches until none is full; answers how many sign-ins this node expired. */
    public Future<Integer> sweepAll() {
        return sweep().compose(expired -> expired == BATCH ? sweepAll().map(more -> expired + more)
                : Future.succeededFuture(expired));
    }

    /** One batch of up to {@value #BATCH} due sign-ins, each expired and recorded in one transaction. */
    public Future<Integer> sweep() {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> signIns.expireDue(sql, now, BATCH)
                .compose(expired -> record(sql, expired).map(expired.size())));
    }

    private Future<Void> record(SqlClient sql, List<Expired> expired) {
        List<AuditEvent> events = expired.stream().map(this::event).toList();
        return audit.recordAll(sql, events);
    }

    private AuditEvent event(Expired expired) {
        String type = expired.kind() == SignInKind.REGISTRATION_TEST ? "registration.test" : "sign_in.mfa";
        Map<String, Object> detail = expired.rpClientId().isPresent()
                ? Map.of("signInId", expired.id().toString(), "reason", "no_answer", "relyingParty", true)
                : Map.of("signInId", expired.id().toString(), "reason", "no_answer");
        return audit.event(type, expired.username(), expired.username(), "expired", detail);
    }
}
