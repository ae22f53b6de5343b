package org.countersign.push.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened, for the activity log: who did it (a username, or {@code system}), to whom, and how it
 * ended. Details never carry secrets, codes or numbers.
 */
public record AuditEvent(Instant occurredAt, String type, String actor, Optional<String> target, String outcome,
                         Map<String, Object> detail) {
    public AuditEvent {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(outcome, "outcome");
        detail = Map.copyOf(detail);
    }
}
