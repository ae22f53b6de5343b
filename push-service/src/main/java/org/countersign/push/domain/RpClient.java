package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A relying party: an application that checks passwords itself and asks Countersign for the second factor only.
 * {@code clientId} is public; the secret is never part of this record (it exists in plaintext only in the answer
 * that created the client).
 */
public record RpClient(UUID id, String clientId, String name, int ratePerSecond, Instant createdAt, String createdBy,
                       Optional<Instant> lastUsedAt, Optional<Instant> revokedAt) {
    public RpClient {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        if (ratePerSecond < 1) {
            throw new IllegalArgumentException("ratePerSecond must be positive");
        }
    }

    public boolean isRevoked() {
        return revokedAt.isPresent();
    }
}
