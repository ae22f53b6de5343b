package org.countersign.authenticator.scan;

import java.util.Locale;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.ProtocolException;

/** What a scanned QR code or pasted text says: a Countersign enrollment or a standard otpauth account. */
public sealed interface ScannedPayload {

    /** A {@code countersign://enroll?...} code: activate it with the push service. */
    record Enrollment(EnrollmentUri uri) implements ScannedPayload {
    }

    /** An {@code otpauth://totp/...} or {@code otpauth://hotp/...} code: store it as it is. */
    record OtpAuth(OtpAuthUri uri) implements ScannedPayload {
    }

    int MAX_QUOTED = 60;

    /**
     * Classifies and parses a payload.
     *
     * @throws ScanException naming the problem, quoting at most 60 characters of the payload
     */
    static ScannedPayload classify(String payload) {
        String text = payload == null ? "" : payload.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("countersign://")) {
                return new Enrollment(EnrollmentUri.parse(text));
            }
            if (lower.startsWith("otpauth-migration://")) {
                throw new ScanException("This is a Google Authenticator export (otpauth-migration://): import it with"
                        + " `authenticator import --image FILE...` (every QR code of the export).");
            }
            if (lower.startsWith("otpauth://")) {
                return new OtpAuth(OtpAuthUri.parse(text));
            }
        } catch (ProtocolException e) {
            throw new ScanException("Not a valid " + (lower.startsWith("otpauth") ? "otpauth" : "enrollment")
                    + " code (" + e.getMessage() + "): " + quote(text), e);
        }
        throw new ScanException("Not a Countersign enrollment code or an otpauth:// account: " + quote(text));
    }

    /**
     * The payload in quotes, cut to 60 characters, with control characters shown as '?' and the values of
     * {@code secret} and {@code code} parameters hidden (error messages end up in terminals and logs).
     */
    static String quote(String text) {
        String redacted = text.replaceAll("(?i)([?&](?:secret|code)=)[^&]*", "$1***");
        String shown = redacted.length() > MAX_QUOTED ? redacted.substring(0, MAX_QUOTED) + "…" : redacted;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
