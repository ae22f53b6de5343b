package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.countersign.push.domain.AuditEvent;

/** Appends audit events; nothing here updates or deletes one. */
public final class AuditStore {

    private static final String INSERT = "INSERT INTO audit_events (occurred_at, type, actor, target, outcome, "
            + "detail) VALUES ($1, $2, $3, $4, $5, $6)";

    public Future<Void> append(SqlClient sql, AuditEvent event) {
        return sql.preparedQuery(INSERT).execute(row(event)).mapEmpty();
    }

    /** Appends several events in one batch, in the order given. */
    public Future<Void> appendAll(SqlClient sql, List<AuditEvent> events) {
        if (events.isEmpty()) {
            return Future.succeededFuture();
        }
        return sql.preparedQuery(INSERT).executeBatch(events.stream().map(AuditStore::row).toList()).mapEmpty();
    }

    private static Tuple row(AuditEvent event) {
        return Tuple.of(Columns.ts(event.occurredAt()), event.type(), event.actor(), event.target().orElse(null),
                event.outcome(), new JsonObject(new java.util.LinkedHashMap<>(event.detail())));
    }
}
