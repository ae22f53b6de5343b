package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A one-time registration of an authenticator; its activation code exists only as a hash. */
public record Enrollment(UUID id, UUID userId, EnrollmentState state, Instant createdAt, Instant expiresAt,
                         Optional<UUID> deviceId, Optional<UUID> testSignInId) {
    public Enrollment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(testSignInId, "testSignInId");
    }

    /** The state a reader should see at {@code now}: a waiting enrollment past its expiry reads as expired. */
    public EnrollmentState effectiveState(Instant now) {
        return state == EnrollmentState.WAITING && !now.isBefore(expiresAt) ? EnrollmentState.EXPIRED : state;
    }
}
