package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.DevicePublicKey;
import org.countersign.protocol.Totp;

/**
 * A registered authenticator. The encrypted TOTP secret is not part of this record: it is read only where a
 * code is checked.
 */
public record Device(UUID id, UUID userId, String name, String platform, DevicePublicKey publicKey, Totp totp,
                     DeviceState state, Instant createdAt, Optional<Instant> lastUsedAt) {
    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(totp, "totp");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }

    public boolean isVerified() {
        return state == DeviceState.VERIFIED;
    }

    public boolean isRemoved() {
        return state == DeviceState.REMOVED;
    }
}
