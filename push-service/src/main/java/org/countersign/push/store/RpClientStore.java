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
import java.util.UUID;
import org.countersign.push.domain.RpClient;

/**
 * Relying-party clients and the attribution of checks (sign-ins) to them. The secret's SHA-256 is read only where
 * a presented secret is checked.
 */
public final class RpClientStore {
    private static final String COLUMNS = "id, client_id, name, rate_per_second, created_at, created_by, last_used_at, "
            + "revoked_at";

    /** An active client with the hash its secret must match. */
    public record Credentials(RpClient client, byte[] secretHash) {
        @Override
        public String toString() {
            return "Credentials[" + client.clientId() + ", hash redacted]";
        }
    }

    public Future<Void> insert(SqlClient sql, RpClient client, byte[] secretHash) {
        return sql.preparedQuery("INSERT INTO rp_clients (id, client_id, name, secret_hash, rate_per_second, "
                        + "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .execute(Tuple.of(client.id(), client.clientId(), client.name(), Buffer.buffer(secretHash),
                        client.ratePerSecond(), Columns.ts(client.createdAt()), client.createdBy()))
                .mapEmpty();
    }

    /** True when an active client already has this name (case-insensitive). */
    public Future<Boolean> activeNameTaken(SqlClient sql, String name) {
        return sql.preparedQuery("SELECT 1 FROM rp_clients WHERE lower(name) = lower($1) AND revoked_at IS NULL")
                .execute(Tuple.of(name))
                .map(rows -> rows.size() > 0);
    }

    /** Every client, revoked ones included, oldest first. */
    public Future<List<RpClient>> list(SqlClient sql) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM rp_clients ORDER BY created_at, client_id")
                .execute()
                .map(rows -> {
                    List<RpClient> list = new ArrayList<>();
                    rows.forEach(row -> list.add(client(row)));
                    return list;
                });
    }

    /** The active (not revoked) client with this public id, with its secret hash. */
    public Future<Optional<Credentials>> findActive(SqlClient sql, String clientId) {
        return sql.preparedQuery("SELECT " + COLUMNS + ", secret_hash FROM rp_clients WHERE client_id = $1 "
                        + "AND revoked_at IS NULL")
                .execute(Tuple.of(clientId))
                .map(rows -> Columns.first(rows).map(row -> new Credentials(client(row),
                        row.getBuffer("secret_hash").getBytes())));
    }

    /** Whether the client is still active (not revoked), by its internal id. */
    public Future<Boolean> isActive(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT 1 FROM rp_clients WHERE id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(id))
                .map(rows -> rows.size() > 0);
    }

    public Future<Void> touch(SqlClient sql, UUID id, Instant now) {
        // at most one write a minute per client: last_used_at is for people, a hot row is not worth a lock
        return sql.preparedQuery("UPDATE rp_clients SET last_used_at = $2 WHERE id = $1 "
                        + "AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')")
                .execute(Tuple.of(id, Columns.ts(now)))
                .mapEmpty();
    }

    /** Revokes an active client; empty when there is no active client with this id. */
    public Future<Optional<RpClient>> revoke(SqlClient sql, String clientId, String revokedBy, Instant now) {
        return sql.preparedQuery("UPDATE rp_clients SET revoked_at = $2, revoked_by = $3 WHERE client_id = $1 "
                        + "AND revoked_at IS NULL RETURNING " + COLUMNS)
                .execute(Tuple.of(clientId, Columns.ts(now), revokedBy))
                .map(rows -> Columns.first(rows).map(RpClientStore::client));
    }

    private static RpClient client(Row row) {
        return new RpClient(row.getUUID("id"), row.getString("client_id"), row.getString("name"),
                row.getInteger("rate_per_second"), Columns.instant(row, "created_at"), row.getString("created_by"),
                Columns.optionalInstant(row, "last_used_at"), Columns.optionalInstant(row, "revoked_at"));
    }
}
