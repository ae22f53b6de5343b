package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.Settings;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.UserStore;

/**
 * The service settings (ARCHITECTURE.md §4). Switching security defaults on records the time and restarts everyone's
 * registration grace (it starts again at each user's next sign-in); it is refused while a Conditional Access policy
 * is enabled. The settings row is locked for the change, as policy changes lock it, so the two cannot race.
 */
public final class SettingsAdministration {
    private final Pool pool;
    private final SettingsStore settings;
    private final PolicyStore policies;
    private final UserStore users;
    private final AuditLog audit;
    private final Clock clock;

    public SettingsAdministration(Pool pool, SettingsStore settings, PolicyStore policies, UserStore users,
                                  AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.settings = Objects.requireNonNull(settings);
        this.policies = Objects.requireNonNull(policies);
        this.users = Objects.requireNonNull(users);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    public Future<Settings> get() {
        return settings.get(pool);
    }

    public Future<Settings> update(String actor, SettingsChange change) {
        return pool.withTransaction(sql -> settings.lock(sql).compose(current -> {
            boolean switchingOn = change.securityDefaults().orElse(false) && !current.securityDefaults();
            Future<Void> allowed = switchingOn ? refuseWhilePoliciesEnabled(sql) : Future.succeededFuture();
            return allowed.compose(ignored -> apply(sql, actor, current, change, switchingOn));
        }));
    }

    private Future<Void> refuseWhilePoliciesEnabled(SqlClient sql) {
        return policies.enabled(sql).compose(enabled -> enabled.isEmpty() ? Future.succeededFuture()
                : Future.failedFuture(ApiError.conflict("conflict", conflictMessage(enabled))));
    }

    static String conflictMessage(List<ConditionalAccessPolicy> enabled) {
        String names = enabled.stream().map(policy -> "'" + policy.name() + "'").collect(Collectors.joining(", "));
        return "Security defaults cannot be switched on while the Conditional Access "
                + (enabled.size() == 1 ? "policy " + names + " is" : "policies " + names + " are")
                + " enabled. Disable " + (enabled.size() == 1 ? "it" : "them") + " first.";
    }

    private Future<Settings> apply(SqlClient sql, String actor, Settings current, SettingsChange change,
                                   boolean switchingOn) {
        Instant now = clock.instant();
        Settings next;
        try {
            next = new Settings(change.securityDefaults().orElse(current.securityDefaults()),
                    switchingOn ? now : current.securityDefaultsSince(),
                    change.appPasswordsAllowed().orElse(current.appPasswordsAllowed()),
                    change.rememberMfaDays().orElse(current.rememberMfaDays()),
                    numberDigits(current, change), change.pushLimitPer10Minutes().orElse(current.pushLimitPer10Minutes()),
                    change.nistProfile().orElse(current.nistProfile()));
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", e.getMessage()));
        }
        Map<String, Object> changed = changes(current, next);
        if (changed.isEmpty()) {
            return Future.succeededFuture(current);
        }
        Future<Integer> grace = switchingOn ? users.restartRegistrationGrace(sql) : Future.succeededFuture(0);
        return settings.update(sql, next)
                .compose(ignored -> grace)
                .compose(restarted -> {
                    if (switchingOn) {
                        changed.put("registrationGraceRestartedFor", restarted);
                    }
                    return audit.record(sql, "admin.settings_changed", actor, null, "success", changed);
                })
                .map(next);
    }

    /** Switching the NIST profile on raises the numbers to 6 digits unless the same change names another count. */
    private static int numberDigits(Settings current, SettingsChange change) {
        boolean switchingOn = change.nistProfile().orElse(false) && !current.nistProfile();
        return change.numberDigits().orElse(switchingOn ? Settings.NIST_NUMBER_DIGITS : current.numberDigits());
    }

    private static Map<String, Object> changes(Settings before, Settings after) {
        Map<String, Object> changed = new LinkedHashMap<>();
        if (before.securityDefaults() != after.securityDefaults()) {
            changed.put("securityDefaults", after.securityDefaults());
        }
        if (before.appPasswordsAllowed() != after.appPasswordsAllowed()) {
            changed.put("appPasswordsAllowed", after.appPasswordsAllowed());
        }
        if (before.rememberMfaDays() != after.rememberMfaDays()) {
            changed.put("rememberMfaDays", after.rememberMfaDays());
        }
        if (before.numberDigits() != after.numberDigits()) {
            changed.put("numberDigits", after.numberDigits());
        }
        if (before.pushLimitPer10Minutes() != after.pushLimitPer10Minutes()) {
            changed.put("pushLimitPer10Minutes", after.pushLimitPer10Minutes());
        }
        if (before.nistProfile() != after.nistProfile()) {
            changed.put("nistProfile", after.nistProfile());
        }
        return changed;
    }
}
