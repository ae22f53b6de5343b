package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.SignIn;
import org.countersign.push.signin.PushDelivery;
import org.countersign.push.signin.SignInWaiters;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;

/**
 * Lost-device removal (ARCHITECTURE.md §2.3), with immediate effect: the device row is marked removed (its
 * signatures stop being accepted and a pending approval racing with the removal loses, see
 * {@link DeviceStore#lockForUse}), its channel is closed, its registration test, the approvals it gave whose session
 * was not collected yet and, when it was the last device, every pending sign-in of the person are denied with
 * {@code device_removed}; the audit log records who did it.
 */
public final class DeviceRemoval {
    private final Pool pool;
    private final DeviceStore devices;
    private final SignInStore signIns;
    private final UserStore users;
    private final PushDelivery push;
    private final SignInWaiters waiters;
    private final AuditLog audit;
    private final Clock clock;

    public DeviceRemoval(Pool pool, DeviceStore devices, SignInStore signIns, UserStore users, PushDelivery push,
                         SignInWaiters waiters, AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.devices = Objects.requireNonNull(devices);
        this.signIns = Objects.requireNonNull(signIns);
        this.users = Objects.requireNonNull(users);
        this.push = Objects.requireNonNull(push);
        this.waiters = Objects.requireNonNull(waiters);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Removes a device. With {@code owner} set (a person removing their own device) a device of anyone else reads
     * as not found.
     */
    public Future<Device> remove(String actor, UUID deviceId, Optional<UUID> owner) {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> devices.findById(sql, deviceId).compose(found -> {
            if (found.isEmpty() || found.get().isRemoved()
                    || owner.map(id -> !id.equals(found.get().userId())).orElse(false)) {
                return Future.failedFuture(ApiError.notFound("That device"));
            }
            return devices.remove(sql, deviceId, actor, now).compose(removed -> removed.isEmpty()
                    ? Future.failedFuture(ApiError.notFound("That device"))
                    : cancelPending(sql, removed.get(), now)
                            .compose(denied -> record(sql, actor, removed.get(), denied))
                            .map(denied -> new Result(removed.get(), denied)));
        })).map(result -> {
            push.disconnect(deviceId, "device removed");
            result.denied().forEach(signIn -> waiters.wake(signIn.id()));
            return result.device();
        });
    }

    private record Result(Device device, List<SignIn> denied) {
    }

    private Future<List<SignIn>> cancelPending(SqlClient sql, Device device, Instant now) {
        return signIns.denyPendingTestsOf(sql, device.id(), DenialReason.DEVICE_REMOVED, now)
                .compose(tests -> signIns.denyUncollectedApprovalsOf(sql, device.id(), DenialReason.DEVICE_REMOVED,
                        now).map(approvals -> concat(tests, approvals)))
                .compose(denied -> devices.countVerified(sql, device.userId()).compose(remaining -> remaining > 0
                        ? Future.succeededFuture(denied)
                        : signIns.denyAllPending(sql, device.userId(), DenialReason.DEVICE_REMOVED, now)
                                .map(all -> concat(denied, all))));
    }

    private Future<List<SignIn>> record(SqlClient sql, String actor, Device device, List<SignIn> denied) {
        return users.findById(sql, device.userId()).compose(user -> audit.record(sql, "device.removed", actor,
                        user.map(u -> u.username()).orElse(null), "success",
                        Map.of("deviceId", device.id().toString(), "deviceName", device.name(),
                                "pendingSignInsDenied", denied.size())))
                .map(denied);
    }

    private static List<SignIn> concat(List<SignIn> a, List<SignIn> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
