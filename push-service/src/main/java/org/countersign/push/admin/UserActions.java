package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.User;
import org.countersign.push.store.AppPasswordStore;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.PushFatigueStore;
import org.countersign.push.store.SessionStore;
import org.countersign.push.store.ThrottleStore;
import org.countersign.push.store.UserStore;

/**
 * "Manage user settings" (ARCHITECTURE.md §4), and a person's own "sign out everywhere". Each action answers what
 * it changed, and is audited with the admin as actor.
 */
public final class UserActions {
    /** The actions an admin can take on a user. */
    public enum Action {
        /** Removes every device (channels close at once, pending sign-ins are denied): register again at next MFA. */
        REQUIRE_REREGISTRATION,
        DELETE_APP_PASSWORDS,
        /** Restores MFA on every remembered device: "don't ask again" tokens stop working. */
        REVOKE_REMEMBERED_DEVICES,
        /** Signs the user out of every session. */
        REVOKE_SESSIONS,
        /** Lets pushes reach the user again after a fraud report suspended them. */
        CLEAR_PUSH_SUSPENSION,
        /** Unlocks a user locked out after too many failed attempts, and forgets the failures. */
        CLEAR_LOCKOUT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Action> parse(String text) {
            for (Action action : values()) {
                if (action.wire().equals(text)) {
                    return Optional.of(action);
                }
            }
            return Optional.empty();
        }
    }

    private final Pool pool;
    private final UserStore users;
    private final DeviceStore devices;
    private final DeviceRemoval removal;
    private final AppPasswordStore appPasswords;
    private final SessionStore sessions;
    private final AuditLog audit;
    private final Clock clock;
    private final PushFatigueStore pushes = new PushFatigueStore();
    private final ThrottleStore throttles = new ThrottleStore();

    public UserActions(Pool pool, UserStore users, DeviceStore devices, DeviceRemoval removal,
                       AppPasswordStore appPasswords, SessionStore sessions, AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.devices = Objects.requireNonNull(devices);
        this.removal = Objects.requireNonNull(removal);
        this.appPasswords = Objects.requireNonNull(appPasswords);
        this.sessions = Objects.requireNonNull(sessions);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Performs {@code action} on the user; answers the counts of what changed, keyed for the JSON answer. */
    public Future<Map<String, Object>> perform(String actor, String username, Action action) {
        return users.findByUsername(pool, username).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiError.notFound("A user named '" + username + "'"));
            }
            User user = found.get();
            if (action == Action.REQUIRE_REREGISTRATION) {
                // each removal commits with its own audit event; this one records the action as a whole
                return removeAllDevices(actor, user)
                        .compose(counts -> record(pool, actor, user, action, counts));
            }
            return pool.withTransaction(sql -> change(sql, user, action)
                    .compose(counts -> record(sql, actor, user, action, counts)));
        });
    }

    /** Records the action in the caller's transaction and builds the answer. */
    private Future<Map<String, Object>> record(SqlClient sql, String actor, User user, Action action,
                                               Map<String, Object> counts) {
        Map<String, Object> detail = new LinkedHashMap<>(counts);
        detail.put("action", action.wire());
        return audit.record(sql, "admin.user_action", actor, user.username(), "success", detail).map(ignored -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("username", user.username());
            answer.put("action", action.wire());
            answer.putAll(counts);
            return answer;
        });
    }

    private Future<Map<String, Object>> change(SqlClient sql, User user, Action action) {
        return switch (action) {
            case DELETE_APP_PASSWORDS -> appPasswords.deleteAll(sql, user.id())
                    .map(n -> Map.<String, Object>of("appPasswordsDeleted", n));
            case REVOKE_REMEMBERED_DEVICES -> sessions.revokeRemembered(sql, user.id(), clock.instant())
                    .map(n -> Map.<String, Object>of("rememberedDevicesRevoked", n));
            case REVOKE_SESSIONS -> sessions.revokeSessions(sql, user.id(), clock.instant())
                    .map(n -> Map.<String, Object>of("sessionsRevoked", n));
            case CLEAR_PUSH_SUSPENSION -> pushes.clearSuspension(sql, user.id())
                    .map(cleared -> Map.<String, Object>of("pushSuspensionCleared", cleared));
            case CLEAR_LOCKOUT -> throttles.clearUser(sql, user.username())
                    .map(cleared -> Map.<String, Object>of("lockoutCleared", cleared));
            case REQUIRE_REREGISTRATION -> throw new IllegalArgumentException("not a single-transaction action");
        };
    }

    /** One removal per device through {@link DeviceRemoval}, so each channel closes and pending sign-ins end. */
    private Future<Map<String, Object>> removeAllDevices(String actor, User user) {
        return devices.activeForUser(pool, user.id()).compose(active -> {
            Future<Integer> removed = Future.succeededFuture(0);
            for (Device device : active) {
                removed = removed.compose(n -> removal.remove(actor, device.id(), Optional.empty())
                        .map(ignored -> n + 1)
                        .recover(failure -> failure instanceof ApiError api && api.status() == 404
                                ? Future.succeededFuture(n) : Future.failedFuture(failure)));
            }
            return removed.map(n -> Map.<String, Object>of("devicesRemoved", n));
        });
    }

    /**
     * Deletes one app password of {@code username} (a program that used it stops signing in; the others keep
     * working), recorded as {@code app_password.deleted} with the admin as actor.
     */
    public Future<Map<String, Object>> deleteAppPassword(String actor, String username, UUID id) {
        return users.findByUsername(pool, username).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiError.notFound("A user named '" + username + "'"));
            }
            User user = found.get();
            return pool.withTransaction(sql -> appPasswords.delete(sql, user.id(), id).compose(deleted -> {
                if (deleted.isEmpty()) {
                    return Future.failedFuture(ApiError.notFound("That app password"));
                }
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("username", user.username());
                answer.put("id", id.toString());
                answer.put("name", deleted.get());
                answer.put("deleted", true);
                return audit.record(sql, "app_password.deleted", actor, user.username(), "success",
                        Map.of("appPasswordId", id.toString(), "name", deleted.get(), "by", "admin")).map(answer);
            }));
        });
    }

    /** Revokes every session and remember token of the caller ("sign out everywhere"). */
    public Future<Map<String, Object>> signOutEverywhere(User user) {
        return pool.withTransaction(sql -> sessions.revokeSessions(sql, user.id(), clock.instant())
                .compose(sessionCount -> sessions.revokeRemembered(sql, user.id(), clock.instant())
                        .compose(rememberedCount -> {
                            Map<String, Object> counts = new LinkedHashMap<>();
                            counts.put("sessionsRevoked", sessionCount);
                            counts.put("rememberedDevicesRevoked", rememberedCount);
                            return audit.record(sql, "session.signed_out_everywhere", user.username(),
                                    user.username(), "success", counts).map(counts);
                        })));
    }
}
