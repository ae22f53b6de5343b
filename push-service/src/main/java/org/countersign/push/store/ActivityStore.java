package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads the audit log for the activity view, newest first. */
public final class ActivityStore {

    /** An audit event as stored, with its id. */
    public record StoredEvent(long id, Instant occurredAt, String type, String actor, Optional<String> target,
                              String outcome, JsonObject detail) {
    }

    /**
     * The filter of the activity view: {@code user} matches the actor or the target (regardless of case);
     * {@code type} matches exactly or as a prefix up to a dot; {@code from} and {@code to} are inclusive.
     */
    public record Query(Optional<String> user, Optional<String> type, Optional<Instant> from, Optional<Instant> to,
                        int limit) {
        public Query {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    public Future<List<StoredEvent>> find(SqlClient sql, Query query) {
        return sql.preparedQuery("SELECT id, occurred_at, type, actor, target, outcome, detail FROM audit_events "
                        + "WHERE ($1::text IS NULL OR lower(actor) = lower($1) OR lower(target) = lower($1)) "
                        + "AND ($2::text IS NULL OR type = $2 OR left(type, length($2) + 1) = $2 || '.') "
                        + "AND ($3::timestamptz IS NULL OR occurred_at >= $3) "
                        + "AND ($4::timestamptz IS NULL OR occurred_at <= $4) "
                        + "ORDER BY occurred_at DESC, id DESC LIMIT $5")
                .execute(Tuple.of(query.user().orElse(null), query.type().orElse(null),
                        Columns.ts(query.from().orElse(null)), Columns.ts(query.to().orElse(null)), query.limit()))
                .map(rows -> {
                    List<StoredEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        Object detail = row.getValue("detail");
                        events.add(new StoredEvent(row.getLong("id"), Columns.instant(row, "occurred_at"),
                                row.getString("type"), row.getString("actor"),
                                Columns.optionalString(row, "target"), row.getString("outcome"),
                                detail instanceof JsonObject object ? object : new JsonObject()));
                    }
                    return events;
                });
    }
}
