package org.countersign.push.audit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals the audit log into a hash chain after the fact, so that recording an event stays a plain INSERT in the
 * business transaction (no row every sign-in would queue on). On a short timer, one node at a time (a transaction-level
 * advisory lock, {@code pg_try_advisory_xact_lock}; a node that does not get it skips the round) takes the events not
 * yet sealed in id order, gives each the next chain position and its link hash ({@link AuditChain}), and moves the
 * head, all in one transaction. The chain's order is the sealing order: an event committed late, after a higher id
 * was sealed, is sealed in a later round.
 */
public final class AuditSealer {
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    /** Advisory lock key: "audit-chain" as a number, shared by every node. */
    static final long LOCK_KEY = 0x6175646974636841L;
    private static final int BATCH = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(AuditSealer.class);

    private final Vertx vertx;
    private final Pool pool;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;

    public AuditSealer(Vertx vertx, Pool pool, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx);
        this.pool = Objects.requireNonNull(pool);
        this.clock = Objects.requireNonNull(clock);
    }

    public void start(Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                sealAll().onFailure(e -> LOG.warn("Sealing the audit log failed: {}", e.getMessage()))
                        .onComplete(done -> running.set(false));
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Seals rounds until no event is left unsealed or another node holds the lock; answers how many it sealed. */
    public Future<Integer> sealAll() {
        return sealRound().compose(sealed -> sealed == BATCH ? sealAll().map(more -> sealed + more)
                : Future.succeededFuture(sealed));
    }

    /** One round: up to {@value #BATCH} events, or none when another node is sealing right now. */
    public Future<Integer> sealRound() {
        return pool.withTransaction(sql -> sql.query("SELECT pg_try_advisory_xact_lock(" + LOCK_KEY + ") AS locked")
                .execute()
                .compose(lock -> lock.iterator().next().getBoolean("locked") ? seal(sql) : Future.succeededFuture(0)));
    }

    private Future<Integer> seal(SqlConnection sql) {
        return sql.query("SELECT position, hash FROM audit_chain_head FOR UPDATE").execute().compose(head -> {
            Row row = head.iterator().next();
            long position = row.getLong("position");
            byte[] previous = row.getBuffer("hash").getBytes();
            return sql.preparedQuery("SELECT " + AuditChain.COLUMNS + " FROM audit_events "
                            + "WHERE chain_position IS NULL ORDER BY id LIMIT " + BATCH)
                    .execute()
                    .compose(events -> {
                        int count = events.size();
                        if (count == 0) {
                            return Future.succeededFuture(0);
                        }
                        Long[] ids = new Long[count];
                        Long[] positions = new Long[count];
                        Buffer[] hashes = new Buffer[count];
                        long next = position;
                        byte[] hash = previous;
                        int i = 0;
                        for (Row event : events) {
                            next++;
                            hash = AuditChain.link(hash, next, ChainRows.event(event));
                            ids[i] = event.getLong("id");
                            positions[i] = next;
                            hashes[i] = Buffer.buffer(hash);
                            i++;
                        }
                        long last = next;
                        byte[] lastHash = hash;
                        // one set-based statement for the batch; the head moves in the same statement
                        return sql.preparedQuery("WITH sealed AS (UPDATE audit_events e SET chain_position = l.position, "
                                        + "chain_hash = l.hash FROM unnest($1::bigint[], $2::bigint[], $3::bytea[]) "
                                        + "AS l(id, position, hash) WHERE e.id = l.id AND e.chain_position IS NULL "
                                        + "RETURNING e.id) "
                                        + "UPDATE audit_chain_head SET position = $4, hash = $5, sealed_at = $6 "
                                        + "WHERE (SELECT count(*) FROM sealed) = $7")
                                .execute(Tuple.from(new Object[] {ids, positions, hashes, last,
                                        Buffer.buffer(lastHash), OffsetDateTime.ofInstant(clock.instant(),
                                        ZoneOffset.UTC), (long) count}))
                                .compose(moved -> moved.rowCount() == 1 ? Future.succeededFuture(count)
                                        : Future.failedFuture(new IllegalStateException("audit events changed while "
                                                + "they were sealed; the round is rolled back")));
                    });
        });
    }
}
