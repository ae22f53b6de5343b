package org.countersign.push.enroll;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.countersign.protocol.DeviceAdded;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.Device;
import org.countersign.push.signin.PushDelivery;
import org.countersign.push.store.DeviceStore;

/**
 * Tells a person's other devices that a device was added to their account (ARCHITECTURE.md §2.1), so that a device
 * registered by someone else is noticed by the owner: recorded in the activation's transaction, sent after it.
 */
final class DeviceAddedNotice {
    private final Pool pool;
    private final DeviceStore devices;
    private final PushDelivery push;
    private final AuditLog audit;

    DeviceAddedNotice(Pool pool, DeviceStore devices, PushDelivery push, AuditLog audit) {
        this.pool = Objects.requireNonNull(pool);
        this.devices = Objects.requireNonNull(devices);
        this.push = Objects.requireNonNull(push);
        this.audit = Objects.requireNonNull(audit);
    }

    /** Audits {@code device.added} with how many verified devices will be told; in the activation's transaction. */
    Future<Void> record(SqlClient sql, Device added, String username) {
        return devices.countVerified(sql, added.userId()).compose(others -> audit.record(sql, "device.added",
                username, username, "success", Map.of("deviceId", added.id().toString(), "deviceName", added.name(),
                        "platform", added.platform(), "otherDevicesNotified", others)));
    }

    /** After the commit: sends {@code device.added} to every verified device of the user but the new one. */
    void send(UUID addedId) {
        devices.findById(pool, addedId).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture();
            }
            Device added = found.get();
            DeviceAdded notice = new DeviceAdded(added.name(), added.platform(), added.createdAt());
            return devices.activeForUser(pool, added.userId()).map(list -> {
                for (Device other : list) {
                    if (other.isVerified() && !other.id().equals(addedId)) {
                        push.send(other.id(), notice);
                    }
                }
                return null;
            });
        });
    }
}
