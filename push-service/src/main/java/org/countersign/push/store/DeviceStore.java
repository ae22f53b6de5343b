package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.countersign.protocol.DevicePublicKey;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.Totp;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.DeviceState;

/** Registered authenticators, their public keys and their encrypted TOTP secrets. */
public final class DeviceStore {
    private static final String COLUMNS = "id, user_id, name, platform, public_key, totp_algorithm, totp_digits, "
            + "totp_period, state, created_at, last_used_at";

    /** A device's sealed TOTP secret with what is needed to check a code against it. */
    public record TotpCandidate(UUID deviceId, UUID userId, byte[] sealedSecret, Totp totp, OptionalLong lastStep) {
        @Override
        public String toString() {
            return "TotpCandidate[" + deviceId + ", secret redacted]";
        }
    }

    public Future<Void> insert(SqlClient sql, Device device, String keyAlg, byte[] sealedTotpSecret) {
        return sql.preparedQuery("INSERT INTO devices (id, user_id, name, platform, key_alg, public_key, totp_secret, "
                        + "totp_algorithm, totp_digits, totp_period, state, created_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
                .execute(Tuple.from(new Object[] {device.id(), device.userId(), device.name(), device.platform(),
                        keyAlg, device.publicKey().base64Url(), Buffer.buffer(sealedTotpSecret),
                        device.totp().algorithm().uriName(), device.totp().digits(), device.totp().periodSeconds(),
                        device.state().wire(), Columns.ts(device.createdAt())}))
                .mapEmpty();
    }

    public Future<Optional<Device>> findById(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM devices WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Columns.first(rows).map(DeviceStore::device));
    }

    /**
     * Locks the device row against a concurrent removal until the transaction ends and returns its current state:
     * an approval consumed in the same transaction can then never outlive a removal.
     */
    public Future<Optional<Device>> lockForUse(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM devices WHERE id = $1 FOR SHARE")
                .execute(Tuple.of(id))
                .map(rows -> Columns.first(rows).map(DeviceStore::device));
    }

    /** Those of {@code ids} that are removed or unknown (channels that must not stay open). */
    public Future<List<UUID>> goneAmong(SqlClient sql, List<UUID> ids) {
        return sql.preparedQuery("SELECT held.id FROM unnest($1::uuid[]) AS held(id) WHERE NOT EXISTS "
                        + "(SELECT 1 FROM devices d WHERE d.id = held.id AND d.state <> 'removed')")
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    List<UUID> gone = new ArrayList<>();
                    rows.forEach(row -> gone.add(row.getUUID(0)));
                    return gone;
                });
    }

    /** Devices of a user that are not removed, oldest first. */
    public Future<List<Device>> activeForUser(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM devices WHERE user_id = $1 AND state <> 'removed' "
                        + "ORDER BY created_at")
                .execute(Tuple.of(userId))
                .map(DeviceStore::devices);
    }

    /** Every device a user ever registered, removed ones included (for admins). */
    public Future<List<Device>> allForUser(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM devices WHERE user_id = $1 ORDER BY created_at")
                .execute(Tuple.of(userId))
                .map(DeviceStore::devices);
    }

    public Future<List<TotpCandidate>> verifiedTotpCandidates(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT id, user_id, totp_secret, totp_algorithm, totp_digits, totp_period, "
                        + "last_totp_step FROM devices WHERE user_id = $1 AND state = 'verified' ORDER BY created_at")
                .execute(Tuple.of(userId))
                .map(rows -> {
                    List<TotpCandidate> candidates = new ArrayList<>();
                    for (Row row : rows) {
                        Long last = row.getLong("last_totp_step");
                        candidates.add(new TotpCandidate(row.getUUID("id"), row.getUUID("user_id"),
                                row.getBuffer("totp_secret").getBytes(), totp(row),
                                last == null ? OptionalLong.empty() : OptionalLong.of(last)));
                    }
                    return candidates;
                });
    }

    /**
     * Consumes a TOTP time step: succeeds only if the step is later than the last one consumed on this device,
     * so a code (and any earlier code of the window) is accepted once.
     */
    public Future<Boolean> consumeTotpStep(SqlClient sql, UUID deviceId, long step, Instant now) {
        return sql.preparedQuery("UPDATE devices SET last_totp_step = $2, last_used_at = $3 WHERE id = $1 "
                        + "AND state = 'verified' AND (last_totp_step IS NULL OR last_totp_step < $2)")
                .execute(Tuple.of(deviceId, step, Columns.ts(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Future<Boolean> markVerified(SqlClient sql, UUID deviceId, Instant now) {
        return sql.preparedQuery("UPDATE devices SET state = 'verified', verified_at = $2 WHERE id = $1 "
                        + "AND state = 'unverified'")
                .execute(Tuple.of(deviceId, Columns.ts(now)))
                .map(rows -> rows.rowCount() == 1);
    }

    public Future<Void> touch(SqlClient sql, UUID deviceId, Instant now) {
        return sql.preparedQuery("UPDATE devices SET last_used_at = $2 WHERE id = $1")
                .execute(Tuple.of(deviceId, Columns.ts(now)))
                .mapEmpty();
    }

    /** Marks a device removed; empty when it does not exist or was removed already. */
    public Future<Optional<Device>> remove(SqlClient sql, UUID deviceId, String removedBy, Instant now) {
        return sql.preparedQuery("UPDATE devices SET state = 'removed', removed_at = $2, removed_by = $3 "
                        + "WHERE id = $1 AND state <> 'removed' RETURNING " + COLUMNS)
                .execute(Tuple.of(deviceId, Columns.ts(now), removedBy))
                .map(rows -> Columns.first(rows).map(DeviceStore::device));
    }

    public Future<Integer> countVerified(SqlClient sql, UUID userId) {
        return sql.preparedQuery("SELECT count(*) AS n FROM devices WHERE user_id = $1 AND state = 'verified'")
                .execute(Tuple.of(userId))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    private static List<Device> devices(Iterable<Row> rows) {
        List<Device> devices = new ArrayList<>();
        for (Row row : rows) {
            devices.add(device(row));
        }
        return devices;
    }

    private static Totp totp(Row row) {
        return new Totp(HmacAlgorithm.fromUriName(row.getString("totp_algorithm")), row.getInteger("totp_digits"),
                row.getInteger("totp_period"));
    }

    static Device device(Row row) {
        return new Device(row.getUUID("id"), row.getUUID("user_id"), row.getString("name"),
                row.getString("platform"), DevicePublicKey.parseStored(row.getString("public_key")), totp(row),
                DeviceState.fromWire(row.getString("state")), Columns.instant(row, "created_at"),
                Columns.optionalInstant(row, "last_used_at"));
    }
}
