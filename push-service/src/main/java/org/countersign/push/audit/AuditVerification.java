package org.countersign.push.audit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;

/**
 * Verifies the audit chain from the running service ({@code GET /api/v1/admin/activity/verify}): reads the sealed
 * events page by page in chain order (never the whole log at once) through a {@link ChainVerifier}.
 */
public final class AuditVerification {
    private static final int PAGE = 2000;
    private final Pool pool;

    public AuditVerification(Pool pool) {
        this.pool = Objects.requireNonNull(pool);
    }

    public Future<ChainVerifier.Result> verify() {
        ChainVerifier verifier = new ChainVerifier();
        Promise<Void> walked = Promise.promise();
        page(verifier, Long.MIN_VALUE, walked);
        return walked.future()
                .compose(ignored -> pool.query("SELECT h.position, h.hash, (SELECT count(*) FROM audit_events "
                        + "WHERE chain_position IS NULL) AS unsealed FROM audit_chain_head h").execute())
                .map(rows -> {
                    Row head = rows.iterator().next();
                    return verifier.finish(head.getLong("position"), head.getBuffer("hash").getBytes(),
                            head.getLong("unsealed"));
                });
    }

    private void page(ChainVerifier verifier, long after, Promise<Void> walked) {
        pool.preparedQuery("SELECT " + AuditChain.COLUMNS + " FROM audit_events WHERE chain_position > $1 "
                        + "ORDER BY chain_position LIMIT " + PAGE)
                .execute(Tuple.of(after))
                .onFailure(walked::fail)
                .onSuccess(rows -> {
                    long last = after;
                    boolean going = true;
                    for (Row row : rows) {
                        AuditChain.ChainEvent event = ChainRows.event(row);
                        last = event.position().orElseThrow();
                        if (!verifier.accept(event)) {
                            going = false;
                            break;
                        }
                    }
                    if (going && rows.size() == PAGE) {
                        page(verifier, last, walked);
                    } else {
                        walked.complete();
                    }
                });
    }
}
