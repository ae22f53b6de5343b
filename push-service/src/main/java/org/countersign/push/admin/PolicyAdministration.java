package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.PolicyState;
import org.countersign.push.domain.Role;
import org.countersign.push.domain.User;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.UserStore;

/**
 * Conditional Access policies as admins manage them. A policy can be enabled only while security defaults are off
 * (409 {@code conflict} naming security defaults); the settings row is locked for the check, as a settings change
 * locks it. Usernames a policy names must exist, so a mistyped break-glass exclusion is caught when it is written.
 * New policies are {@code disabled} unless the admin says otherwise.
 */
public final class PolicyAdministration {
    public static final String SECURITY_DEFAULTS_CONFLICT = "A Conditional Access policy cannot be enabled while "
            + "security defaults are on. Switch security defaults off in the settings first, or keep the policy "
            + "disabled.";

    private final Pool pool;
    private final PolicyStore policies;
    private final SettingsStore settings;
    private final UserStore users;
    private final AuditLog audit;
    private final Clock clock;

    public PolicyAdministration(Pool pool, PolicyStore policies, SettingsStore settings, UserStore users,
                                AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.policies = Objects.requireNonNull(policies);
        this.settings = Objects.requireNonNull(settings);
        this.users = Objects.requireNonNull(users);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    public Future<List<ConditionalAccessPolicy>> list() {
        return policies.all(pool);
    }

    public Future<ConditionalAccessPolicy> create(String actor, PolicyChange change) {
        Instant now = clock.instant();
        ConditionalAccessPolicy policy = new ConditionalAccessPolicy(UUID.randomUUID(),
                change.name().orElseThrow(() -> ApiError.badRequest("invalid_field", "name: is required.")),
                change.state().orElse(PolicyState.DISABLED), change.includeUsers().orElse(List.of()),
                change.includeRoles().orElse(List.of()), change.excludeUsers().orElse(List.of()),
                change.trustedNetworks().orElse(List.of()),
                change.grant().orElseThrow(() -> ApiError.badRequest("invalid_field",
                        "grant: is required: require_mfa or block.")), now, now);
        return pool.withTransaction(sql -> check(sql, policy)
                        .compose(ignored -> policies.insert(sql, policy))
                        .compose(ignored -> audit.record(sql, "admin.policy_created", actor, policy.name(),
                                "success", describe(policy)))
                        .map(policy))
                .recover(failure -> Future.failedFuture(nameTaken(failure, policy.name())));
    }

    public Future<ConditionalAccessPolicy> update(String actor, UUID id, PolicyChange change) {
        return pool.withTransaction(sql -> policies.findById(sql, id).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiError.notFound("That policy"));
            }
            ConditionalAccessPolicy before = found.get();
            ConditionalAccessPolicy after = new ConditionalAccessPolicy(before.id(),
                    change.name().orElse(before.name()), change.state().orElse(before.state()),
                    change.includeUsers().orElse(before.includeUsers()),
                    change.includeRoles().orElse(before.includeRoles()),
                    change.excludeUsers().orElse(before.excludeUsers()),
                    change.trustedNetworks().orElse(before.trustedNetworks()), change.grant().orElse(before.grant()),
                    before.createdAt(), clock.instant());
            Map<String, Object> detail = describe(after);
            detail.put("previousState", before.state().wire());
            if (!before.name().equals(after.name())) {
                detail.put("previousName", before.name());
            }
            return check(sql, after)
                    .compose(ignored -> policies.update(sql, after))
                    .compose(ignored -> audit.record(sql, "admin.policy_updated", actor, after.name(), "success",
                            detail))
                    .map(after)
                    .recover(failure -> Future.failedFuture(nameTaken(failure, after.name())));
        }));
    }

    public Future<ConditionalAccessPolicy> delete(String actor, UUID id) {
        return pool.withTransaction(sql -> policies.findById(sql, id).compose(found -> found.isEmpty()
                ? Future.failedFuture(ApiError.notFound("That policy"))
                : policies.delete(sql, id)
                        .compose(ignored -> audit.record(sql, "admin.policy_deleted", actor, found.get().name(),
                                "success", describe(found.get())))
                        .map(found.get())));
    }

    /** Whom the policy includes, the mutual exclusion with security defaults, and that every named user exists. */
    private Future<Void> check(SqlClient sql, ConditionalAccessPolicy policy) {
        if (policy.includeUsers().isEmpty() && policy.includeRoles().isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("invalid_field",
                    "includeUsers: a policy must include someone: [\"*\"] for everyone, usernames, or includeRoles."));
        }
        Future<Void> exclusive = !policy.isEnabled() ? Future.succeededFuture()
                : settings.lock(sql).compose(current -> current.securityDefaults()
                        ? Future.failedFuture(ApiError.conflict("conflict", SECURITY_DEFAULTS_CONFLICT))
                        : Future.succeededFuture());
        return exclusive.compose(ignored -> usersExist(sql, "includeUsers", policy.includeUsers().stream()
                        .filter(name -> !name.equals(ConditionalAccessPolicy.EVERYONE)).toList()))
                .compose(ignored -> usersExist(sql, "excludeUsers", policy.excludeUsers()));
    }

    private Future<Void> usersExist(SqlClient sql, String field, List<String> names) {
        if (names.isEmpty()) {
            return Future.succeededFuture();
        }
        return users.lockByUsernames(sql, names).compose(found -> {
            Set<String> known = found.stream().map(User::username).map(name -> name.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            List<String> unknown = names.stream().filter(name -> !known.contains(name.toLowerCase(Locale.ROOT)))
                    .toList();
            return unknown.isEmpty() ? Future.succeededFuture() : Future.failedFuture(ApiError.badRequest(
                    "invalid_field", field + ": no user named " + unknown.stream().map(name -> "'" + name + "'")
                            .collect(Collectors.joining(", ")) + "."));
        });
    }

    private static Throwable nameTaken(Throwable failure, String name) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                ? ApiError.conflict("policy_exists", "A policy named '" + name + "' exists already.") : failure;
    }

    private static Map<String, Object> describe(ConditionalAccessPolicy policy) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("policyId", policy.id().toString());
        detail.put("state", policy.state().wire());
        detail.put("grant", policy.grant().wire());
        detail.put("includeUsers", new ArrayList<>(policy.includeUsers()));
        detail.put("includeRoles", policy.includeRoles().stream().map(Role::wire).toList());
        detail.put("excludeUsers", new ArrayList<>(policy.excludeUsers()));
        detail.put("trustedNetworks", policy.trustedNetworks().stream().map(IpNetwork::toString).toList());
        return detail;
    }
}
