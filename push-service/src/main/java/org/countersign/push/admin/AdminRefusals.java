package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what admin calls refused, so that the activity log shows attempts as well as changes: an admin's change
 * that was refused (a 409 conflict, a 400, a 404) as its own event type with outcome {@code refused}, and a signed-in
 * person who is not allowed on an admin route as {@code admin.forbidden}. Each is written in its own short
 * transaction, after the refused action's transaction rolled back. Calls without a valid session are not recorded
 * (nobody to name, and anyone could flood the log with them). A failure to record is logged, never answered in place
 * of the refusal.
 */
public final class AdminRefusals {
    public static final String FORBIDDEN = "admin.forbidden";
    public static final String REFUSED = "refused";
    /** Paths and targets are cut to this length: the record names the attempt, it does not archive it. */
    static final int MAX_TEXT = 200;
    private static final Logger LOG = LoggerFactory.getLogger(AdminRefusals.class);

    private final Pool pool;
    private final AuditLog audit;

    public AdminRefusals(Pool pool, AuditLog audit) {
        this.pool = Objects.requireNonNull(pool);
        this.audit = Objects.requireNonNull(audit);
    }

    /**
     * Records that {@code actor}'s change of {@code type} (e.g. {@code admin.settings_changed}) on {@code target}
     * (null when it has none) was refused with {@code error}; {@code path} is the address called.
     */
    public Future<Void> refused(String type, String actor, String target, String path, ApiError error) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("error", error.code());
        detail.put("message", error.getMessage());
        detail.put("status", error.status());
        detail.put("path", printable(path));
        return quietly(audit.record(pool, type, actor, target == null ? null : printable(target), REFUSED, detail));
    }

    /** Records that {@code actor}, signed in, was turned away from the admin route {@code path} with {@code error}. */
    public Future<Void> forbidden(String actor, String path, ApiError error) {
        return quietly(audit.record(pool, FORBIDDEN, actor, printable(path), REFUSED,
                Map.of("error", error.code(), "message", error.getMessage())));
    }

    private static Future<Void> quietly(Future<Void> recording) {
        return recording.recover(failure -> {
            LOG.warn("Recording a refused admin call failed: {}", failure.getMessage());
            return Future.succeededFuture();
        });
    }

    /** No control characters (PostgreSQL refuses NUL in text) and at most {@value #MAX_TEXT} characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_TEXT));
        for (int i = 0; i < text.length() && out.length() < MAX_TEXT; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
