package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** An app password's public facts; the password itself is shown once and stored only as an Argon2id hash. */
public record AppPassword(UUID id, UUID userId, String name, Instant createdAt, Optional<Instant> lastUsedAt) {
    public AppPassword {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
