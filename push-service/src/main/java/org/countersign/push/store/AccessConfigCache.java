package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.Settings;

/**
 * What a check is decided by: the settings and the enabled Conditional Access policies. They are kept between
 * checks for as long as the database's access-config version is the one the check read (V8). Triggers give that
 * version a new value at every change to either table, so a cached copy is only used while nothing has changed.
 * The copy is read after its version, so it is never older than its version. It may be newer, when a change
 * commits between the two reads; then the version has moved on too, and the next check reads the copy again.
 */
public final class AccessConfigCache {

    /** The settings and enabled policies (ordered by name) as of {@code version}. */
    public record AccessConfig(UUID version, Settings settings, List<ConditionalAccessPolicy> enabledPolicies) {
        public AccessConfig {
            Objects.requireNonNull(version);
            Objects.requireNonNull(settings);
            enabledPolicies = List.copyOf(enabledPolicies);
        }
    }

    private final SettingsStore settings;
    private final PolicyStore policies;
    private final AtomicReference<AccessConfig> kept = new AtomicReference<>();

    public AccessConfigCache(SettingsStore settings, PolicyStore policies) {
        this.settings = Objects.requireNonNull(settings);
        this.policies = Objects.requireNonNull(policies);
    }

    /**
     * The access config at {@code version}, which the caller has read in an earlier statement: the kept copy when
     * it has that version, otherwise one read now on {@code sql} (both reads in one round trip) and kept.
     */
    public Future<AccessConfig> at(SqlClient sql, UUID version) {
        AccessConfig known = kept.get();
        if (known != null && known.version().equals(version)) {
            return Future.succeededFuture(known);
        }
        Future<Settings> current = settings.get(sql);
        Future<List<ConditionalAccessPolicy>> enabled = policies.enabled(sql);
        return Future.all(current, enabled).map(both -> {
            AccessConfig read = new AccessConfig(version, current.result(), enabled.result());
            kept.set(read);
            return read;
        });
    }
}
