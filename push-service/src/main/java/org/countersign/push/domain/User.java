package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A person who signs in. The password hash never leaves the store layer except for verification. */
public record User(UUID id, String username, String displayName, Role role, MfaState mfaState,
                   Optional<Instant> registrationGraceStartedAt, int failedMfaAttempts, Instant createdAt) {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mfaState, "mfaState");
        Objects.requireNonNull(registrationGraceStartedAt, "registrationGraceStartedAt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }
}
