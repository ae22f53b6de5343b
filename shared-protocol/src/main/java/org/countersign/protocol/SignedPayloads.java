package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The exact bytes every device signature covers, and the only place they are built.
 *
 * <p>Each payload is a versioned, newline-joined UTF-8 string. Because a part containing a newline could shift the
 * other parts, every part is checked: non-empty, no line breaks, no control characters. Verifiers rebuild the
 * payload from their own records, never from bytes the client sent. The strings are frozen by golden-file tests:
 * changing them is a protocol version change.
 */
public final class SignedPayloads {

    /** First line of the channel login payload. */
    public static final String CHANNEL_V1 = "countersign-channel-v1";
    /** First line of the approval payload. */
    public static final String APPROVAL_V1 = "countersign-approval-v1";
    /** Stands for "no number" (deny and fraud answers) in the approval payload. */
    public static final String NO_NUMBER = "-";

    private static final int MAX_PART_LENGTH = 512;

    private SignedPayloads() {
    }

    /**
     * {@code countersign-channel-v1\n{deviceId}\n{nonce}} in UTF-8: what a device signs to log in to its channel.
     *
     * @throws ProtocolException for field {@code deviceId} or {@code nonce}
     */
    public static byte[] channelLogin(String deviceId, String nonce) {
        return join(CHANNEL_V1, part("deviceId", deviceId), part("nonce", nonce));
    }

    /**
     * {@code countersign-approval-v1\n{signInId}\n{deviceId}\n{decision}\n{number or "-"}} in UTF-8: what a device
     * signs to answer an approval request.
     *
     * @param number the number the person typed (2 to 8 ASCII digits), or null for none
     * @throws ProtocolException for field {@code signInId}, {@code deviceId}, {@code decision} or {@code number}
     */
    public static byte[] approval(String signInId, String deviceId, Decision decision, String number) {
        if (decision == null) {
            throw new ProtocolException("decision", "is missing");
        }
        return join(APPROVAL_V1, part("signInId", signInId), part("deviceId", deviceId), decision.wire(),
                number == null ? NO_NUMBER : Fields.number("number", number));
    }

    private static String part(String field, String value) {
        return Fields.text(field, value, MAX_PART_LENGTH);
    }

    private static byte[] join(String... lines) {
        for (String line : lines) {
            Objects.requireNonNull(line);
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }
}
