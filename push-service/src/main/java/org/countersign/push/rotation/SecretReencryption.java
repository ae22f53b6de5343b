package org.countersign.push.rotation;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.countersign.push.crypto.KeyRing;
import org.countersign.push.crypto.KeyRingFile;
import org.countersign.push.crypto.SecretBox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background half of a key rotation, on every node: re-reads the key ring file when it changes (so a
 * {@code rotate-secret-key} takes effect without a restart), then moves every TOTP secret still sealed with an
 * {@code old} key (or in the version 1 format, which names no key) to the primary key, in small batches. Each row is
 * rewritten with its own conditional {@code UPDATE ... WHERE totp_secret = <what was read>}, outside any business
 * transaction: a concurrent change of the row wins and the row is simply seen again next time, and TOTP checks,
 * which only update {@code last_totp_step}, never wait for more than one row's write.
 */
public final class SecretReencryption {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final int DEFAULT_BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(SecretReencryption.class);

    private final Vertx vertx;
    private final Pool pool;
    private final SecretBox box;
    private final Optional<Path> ringFile;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile long timer = -1;
    private volatile int batchSize = DEFAULT_BATCH;

    /** What one pass did: rows moved to the primary key, rows it could not open (a missing key), rows skipped. */
    public record Pass(int resealed, int unreadable, int lostRace) {
    }

    public SecretReencryption(Vertx vertx, Pool pool, SecretBox box, Optional<Path> ringFile) {
        this.vertx = Objects.requireNonNull(vertx);
        this.pool = Objects.requireNonNull(pool);
        this.box = Objects.requireNonNull(box);
        this.ringFile = Objects.requireNonNull(ringFile);
    }

    public void start(Duration interval) {
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                reloadRing().compose(ignored -> reencryptAll())
                        .onFailure(e -> LOG.warn("Secret re-encryption pass failed: {}", e.getMessage()))
                        .onComplete(done -> running.set(false));
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Rows per pass step (small batches keep each step short). */
    public void batchSize(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be positive");
        }
        this.batchSize = size;
    }

    /**
     * Re-reads the key ring file (a few hundred bytes, on a worker thread) and uses it when it differs from the ring in
     * use; answers whether the ring changed. A broken file is logged and the current keys are kept.
     */
    public Future<Boolean> reloadRing() {
        if (ringFile.isEmpty()) {
            return Future.succeededFuture(false);
        }
        Path file = ringFile.get();
        return vertx.executeBlocking(() -> {
            KeyRing ring;
            try {
                ring = KeyRingFile.read(file);
            } catch (java.io.IOException | RuntimeException e) {
                LOG.error("Key ring file {} could not be read, keeping the current keys: {}", file, e.getMessage());
                return false;
            }
            if (ring.equals(box.ring())) {
                return false;
            }
            box.replace(ring);
            LOG.info("Key ring reloaded from {}: primary key {}, {} key(s)", file, ring.primary().id(),
                    ring.keys().size());
            return true;
        }, false);
    }

    /** Re-encrypts every row that needs it, batch after batch, until a batch finds none. */
    public Future<Pass> reencryptAll() {
        Promise<Pass> done = Promise.promise();
        step(null, new Pass(0, 0, 0), done);
        return done.future();
    }

    /** One batch from the start of the table: at most {@link #batchSize} rows moved (a rotation in small steps). */
    public Future<Pass> reencryptBatch() {
        return reencryptBatch(null).map(Batch::pass);
    }

    /** @param after the last id of the previous batch, null for the first */
    private void step(UUID after, Pass sofar, Promise<Pass> done) {
        reencryptBatch(after).onFailure(done::fail).onSuccess(batch -> {
            Pass total = new Pass(sofar.resealed() + batch.pass().resealed(),
                    sofar.unreadable() + batch.pass().unreadable(), sofar.lostRace() + batch.pass().lostRace());
            if (batch.last().isEmpty()) {
                if (total.unreadable() > 0) {
                    LOG.error("{} TOTP secret(s) are sealed with a key this node does not have; add the key to the "
                            + "key ring (see the rotation steps in the README)", total.unreadable());
                }
                done.complete(total);
            } else {
                step(batch.last().get(), total, done);
            }
        });
    }

    private record Batch(Pass pass, Optional<UUID> last) {
    }

    private Future<Batch> reencryptBatch(UUID after) {
        List<String> oldIds = box.ring().oldIds();
        return pool.preparedQuery("SELECT id, user_id, totp_secret FROM devices WHERE ($1::uuid IS NULL OR id > $1) AND ("
                        + SecretKeyQueries.KEY_OF_ROW + " = '" + SecretKeyQueries.UNVERSIONED + "' OR "
                        + SecretKeyQueries.KEY_OF_ROW + " = ANY($2::text[])) ORDER BY id LIMIT $3")
                .execute(Tuple.of(after, oldIds.toArray(new String[0]), batchSize))
                .compose(rows -> {
                    List<Row> found = new ArrayList<>();
                    rows.forEach(found::add);
                    Future<Pass> chain = Future.succeededFuture(new Pass(0, 0, 0));
                    for (Row row : found) {
                        chain = chain.compose(pass -> reseal(row).map(outcome -> switch (outcome) {
                            case RESEALED -> new Pass(pass.resealed() + 1, pass.unreadable(), pass.lostRace());
                            case UNREADABLE -> new Pass(pass.resealed(), pass.unreadable() + 1, pass.lostRace());
                            case LOST_RACE -> new Pass(pass.resealed(), pass.unreadable(), pass.lostRace() + 1);
                        }));
                    }
                    Optional<UUID> last = found.size() < batchSize ? Optional.empty()
                            : Optional.of(found.get(found.size() - 1).getUUID("id"));
                    return chain.map(pass -> new Batch(pass, last));
                });
    }

    private enum Outcome { RESEALED, UNREADABLE, LOST_RACE }

    private Future<Outcome> reseal(Row row) {
        UUID deviceId = row.getUUID("id");
        UUID userId = row.getUUID("user_id");
        byte[] sealed = row.getBuffer("totp_secret").getBytes();
        byte[] resealed;
        byte[] plain = null;
        try {
            plain = box.open(sealed, userId.toString(), deviceId.toString());
            resealed = box.seal(plain, userId.toString(), deviceId.toString());
        } catch (SecretBox.SecretBoxException e) {
            LOG.error("TOTP secret of device {} cannot be re-encrypted: {}", deviceId, e.getMessage());
            return Future.succeededFuture(Outcome.UNREADABLE);
        } finally {
            if (plain != null) {
                java.util.Arrays.fill(plain, (byte) 0);
            }
        }
        return pool.preparedQuery("UPDATE devices SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3")
                .execute(Tuple.of(Buffer.buffer(resealed), deviceId, Buffer.buffer(sealed)))
                .map(result -> result.rowCount() == 1 ? Outcome.RESEALED : Outcome.LOST_RACE);
    }

    /**
     * The key ring as this node sees it and how many rows each key seals:
     * {@code {primary, keys:[{id, role, rows}], rowsByKey:{id|unversioned: n}, pending}} where {@code pending} counts
     * rows the job still has to move (unversioned or under an old key). Never contains key material.
     */
    public Future<JsonObject> status() {
        KeyRing ring = box.ring();
        return pool.query(SecretKeyQueries.COUNT_BY_KEY).execute().map(rows -> {
            JsonObject byKey = new JsonObject();
            rows.forEach(row -> byKey.put(row.getString("key_id"), row.getLong("n")));
            long pending = byKey.getLong(SecretKeyQueries.UNVERSIONED, 0L);
            io.vertx.core.json.JsonArray keys = new io.vertx.core.json.JsonArray();
            for (KeyRing.Key key : ring.keys()) {
                long count = byKey.getLong(key.id(), 0L);
                if (key.role() == KeyRing.Role.OLD) {
                    pending += count;
                }
                keys.add(new JsonObject().put("id", key.id()).put("role", key.role().wire()).put("rows", count));
            }
            return new JsonObject().put("primary", ring.primary().id()).put("keys", keys).put("rowsByKey", byKey)
                    .put("pending", pending);
        });
    }
}
