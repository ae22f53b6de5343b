package org.countersign.push.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The links of the audit chain: {@code hash = SHA-256(previous hash || encoding)}, the first link's previous hash
 * being 32 zero bytes. The encoding is canonical and unambiguous: a version tag, then the chain position, the event
 * id and its time in microseconds (8 bytes each, big-endian), then type, actor, target, outcome and the detail as
 * PostgreSQL prints the jsonb ({@code detail::text}, a deterministic form), each as a 4-byte length and UTF-8 bytes
 * (length -1 for an absent target). Any change of a field, of the order or of the position changes the hash.
 */
public final class AuditChain {
    public static final byte[] GENESIS = new byte[32];
    private static final byte[] TAG = "countersign-audit-v1".getBytes(StandardCharsets.US_ASCII);

    /** The SQL columns an event's link covers, in the names {@link ChainEvent} is read from. */
    public static final String COLUMNS = "id, chain_position, chain_hash, "
            + "floor(extract(epoch from occurred_at) * 1000000)::bigint AS occurred_micros, type, actor, target, "
            + "outcome, detail::text AS detail_text";

    private AuditChain() {
    }

    /** An audit event's fields as the chain covers them, with its seal when it has one. */
    public record ChainEvent(long id, Optional<Long> position, Optional<byte[]> hash, long occurredMicros, String type,
                             String actor, Optional<String> target, String outcome, String detail) {
    }

    public static byte[] link(byte[] previous, long position, ChainEvent event) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(previous);
            digest.update(TAG);
            digest.update(ByteBuffer.allocate(24).putLong(position).putLong(event.id()).putLong(event.occurredMicros())
                    .array());
            field(digest, event.type());
            field(digest, event.actor());
            field(digest, event.target().orElse(null));
            field(digest, event.outcome());
            field(digest, event.detail());
            return digest.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
