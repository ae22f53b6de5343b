package org.countersign.push.audit;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.store.AuditStore;

/**
 * Records audit events in the caller's transaction, so an action and its record commit together. Details must
 * never hold secrets, codes or the sign-in number.
 */
public final class AuditLog {
    public static final String SYSTEM = "system";

    private final AuditStore store;
    private final Clock clock;

    public AuditLog(AuditStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Future<Void> record(SqlClient sql, String type, String actor, String target, String outcome,
                               Map<String, Object> detail) {
        return store.append(sql, new AuditEvent(clock.instant(), type, actor, Optional.ofNullable(target), outcome,
                detail));
    }

    public Future<Void> record(SqlClient sql, String type, String actor, String target, String outcome) {
        return record(sql, type, actor, target, outcome, Map.of());
    }

    /** One event as {@link #record} would write it, for {@link #recordAll}. */
    public AuditEvent event(String type, String actor, String target, String outcome, Map<String, Object> detail) {
        return new AuditEvent(clock.instant(), type, actor, Optional.ofNullable(target), outcome, detail);
    }

    /** Records several events in one batch, in the caller's transaction. */
    public Future<Void> recordAll(SqlClient sql, List<AuditEvent> events) {
        return store.appendAll(sql, events);
    }
}
