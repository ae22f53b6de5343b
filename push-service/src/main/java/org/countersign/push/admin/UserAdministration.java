package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.User;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.signin.AccessDecision;
import org.countersign.push.signin.MfaPolicy;
import org.countersign.push.signin.MfaRequirement;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.UserStore;
import org.countersign.push.store.UserStore.UserSummary;

/** Users as admins see and change them: create, list with the MFA filter, set the per-user MFA state. */
public final class UserAdministration {
    /** A user as the admin list shows it: with the MFA that actually applies at sign-in and why. */
    public record UserView(User user, MfaRequirement effectiveMfa, int methodsRegistered, AccessDecision decision,
                           AccountFlags flags) {
        public UserView(User user, MfaRequirement effectiveMfa, int methodsRegistered, AccessDecision decision) {
            this(user, effectiveMfa, methodsRegistered, decision, AccountFlags.NONE);
        }
    }

    private final Pool pool;
    private final UserStore users;
    private final DeviceStore devices;
    private final SettingsStore settings;
    private final PasswordHasher passwords;
    private final MfaPolicy policy;
    private final AuditLog audit;
    private final Clock clock;
    private final PolicyStore policies = new PolicyStore();

    public UserAdministration(Pool pool, UserStore users, DeviceStore devices, SettingsStore settings,
                              PasswordHasher passwords, MfaPolicy policy, AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.devices = Objects.requireNonNull(devices);
        this.settings = Objects.requireNonNull(settings);
        this.passwords = Objects.requireNonNull(passwords);
        this.policy = Objects.requireNonNull(policy);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    public Future<User> create(String actor, NewUser request) {
        return passwords.hash(request.password()).compose(hash -> {
            User user = new User(UUID.randomUUID(), request.username(), request.displayName(), request.role(),
                    request.mfaState(), Optional.empty(), 0, clock.instant());
            return pool.withTransaction(sql -> users.insert(sql, user, hash)
                    .compose(saved -> audit.record(sql, "admin.user_created", actor, user.username(), "success",
                            Map.of("role", user.role().wire(), "mfaState", user.mfaState().wire())))
                    .map(user));
        }).recover(failure -> Future.failedFuture(isUniqueViolation(failure)
                ? ApiError.conflict("user_exists", "A user named '" + request.username() + "' exists already.")
                : failure));
    }

    public Future<List<UserView>> list(Optional<MfaState> filter) {
        return settings.get(pool).compose(current -> policies.enabled(pool).compose(enabled -> users.list(pool, filter)
                .compose(summaries -> AccountFlags.load(pool).map(flags -> summaries.stream()
                        .map(summary -> view(summary, current, enabled, flags.apply(summary.user()))).toList()))));
    }

    public Future<UserView> setMfaState(String actor, String username, MfaState state) {
        return pool.withTransaction(sql -> users.updateMfaState(sql, username, state).compose(updated -> {
                    if (updated.isEmpty()) {
                        return Future.failedFuture(ApiError.notFound("A user named '" + username + "'"));
                    }
                    return audit.record(sql, "admin.mfa_state_changed", actor, updated.get().username(), "success",
                            Map.of("mfaState", state.wire())).map(updated.get());
                }))
                .compose(user -> devices.countVerified(pool, user.id()).compose(count -> settings.get(pool)
                        .compose(current -> policies.enabled(pool).compose(enabled -> AccountFlags.load(pool)
                                .map(flags -> view(new UserSummary(user, count), current, enabled,
                                        flags.apply(user)))))));
    }

    public Future<User> find(String username) {
        return users.findByUsername(pool, username).compose(found -> found.map(Future::succeededFuture)
                .orElseGet(() -> Future.failedFuture(ApiError.notFound("A user named '" + username + "'"))));
    }

    public Future<List<Device>> devicesOf(String username) {
        return find(username).compose(user -> devices.allForUser(pool, user.id()));
    }

    /** The user with the MFA that applies to a sign-in from an unknown network, by {@link MfaPolicy#decide}. */
    private UserView view(UserSummary summary, Settings current, List<ConditionalAccessPolicy> enabled,
                          AccountFlags flags) {
        AccessDecision decision = policy.decide(summary.user(), current, enabled, Optional.empty());
        return new UserView(summary.user(), decision.requirement(), summary.methodsRegistered(), decision, flags);
    }

    private static boolean isUniqueViolation(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }
}
