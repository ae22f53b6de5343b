package org.countersign.push.audit;

import io.vertx.sqlclient.Row;
import java.util.Optional;

/** Reads {@link AuditChain.ChainEvent}s from rows selected with {@link AuditChain#COLUMNS}. */
final class ChainRows {
    private ChainRows() {
    }

    static AuditChain.ChainEvent event(Row row) {
        return new AuditChain.ChainEvent(row.getLong("id"), Optional.ofNullable(row.getLong("chain_position")),
                Optional.ofNullable(row.getBuffer("chain_hash")).map(b -> b.getBytes()),
                row.getLong("occurred_micros"), row.getString("type"), row.getString("actor"),
                Optional.ofNullable(row.getString("target")), row.getString("outcome"), row.getString("detail_text"));
    }
}
