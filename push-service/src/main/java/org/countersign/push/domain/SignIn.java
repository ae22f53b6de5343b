package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.SignInKind;

/**
 * One sign-in attempt and its challenge. {@code number} is what the person must type; it is shown on the
 * sign-in screen only and never sent to a device.
 */
public record SignIn(UUID id, UUID userId, SignInKind kind, SignInState state, Optional<DenialReason> reason,
                     Optional<SignInMethod> method, Optional<String> number, String app, Optional<String> ip,
                     Optional<String> location, Optional<UUID> targetDeviceId, Optional<UUID> decidedDeviceId,
                     boolean rememberRequested, boolean resultClaimed, Instant createdAt, Instant expiresAt) {
    public SignIn {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(targetDeviceId, "targetDeviceId");
        Objects.requireNonNull(decidedDeviceId, "decidedDeviceId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** The state a reader should see at {@code now}: a pending sign-in past its expiry reads as expired. */
    public SignInState effectiveState(Instant now) {
        return state == SignInState.PENDING && !now.isBefore(expiresAt) ? SignInState.EXPIRED : state;
    }

    /** The same sign-in with its result already handed out (for answers that carry the session at once). */
    public SignIn withResultClaimed() {
        return new SignIn(id, userId, kind, state, reason, method, number, app, ip, location, targetDeviceId,
                decidedDeviceId, rememberRequested, true, createdAt, expiresAt);
    }
}
