package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.countersign.push.domain.AuditEvent;

/** Appends audit events; nothing here updates or deletes one. */
public final class AuditStore {

    public Future<Void> append(SqlClient sql, AuditEvent event) {
        return sql.preparedQuery("INSERT INTO audit_events (occurred_at, type, actor, target, outcome, detail) "
                        + "VALUES ($1, $2, $3, $4, $5, $6)")
                .execute(Tuple.of(Columns.ts(event.occurredAt()), event.type(), event.actor(),
                        event.target().orElse(null), event.outcome(), new JsonObject(new java.util.LinkedHashMap<>(event.detail()))))
                .mapEmpty();
    }
}
