package org.countersign.push.domain;

import java.time.Instant;
import java.util.Objects;

/** An authenticated session, found by the hash of its bearer token. */
public record Session(User user, SessionScope scope, boolean mfaCompleted, Instant expiresAt) {
    public Session {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean isFull() {
        return scope == SessionScope.FULL;
    }
}
