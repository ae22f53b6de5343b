package org.countersign.authenticator.gui;

import java.util.Locale;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.ProtocolException;

/** An account typed by hand: the fields of the "Enter a key" dialog, checked and turned into an otpauth account. */
public final class ManualEntry {
    private ManualEntry() {
    }

    /**
     * Checks the fields and builds the account. The secret may have spaces, dashes, lower case and {@code =}
     * padding, as issuers print it.
     *
     * @throws ProtocolException naming the field that is wrong, with a sentence the dialog shows as it is
     */
    public static OtpAuthUri build(OtpType type, String issuer, String account, char[] secret,
                                   HmacAlgorithm algorithm, int digits, int period, long counter) {
        String cleanIssuer = issuer == null ? "" : issuer.strip();
        String cleanAccount = account == null ? "" : account.strip();
        if (cleanAccount.isEmpty()) {
            throw new ProtocolException("account", "type the account name (for example your e-mail address)");
        }
        if (digits < 6 || digits > 8) {
            throw new ProtocolException("digits", "must be 6, 7 or 8");
        }
        OtpSecret key = secret(secret);
        return new OtpAuthUri(type, cleanIssuer, cleanAccount, key, algorithm, digits,
                type == OtpType.TOTP ? period : 30, type == OtpType.HOTP ? counter : 0);
    }

    private static OtpSecret secret(char[] typed) {
        StringBuilder clean = new StringBuilder();
        if (typed != null) {
            for (char c : typed) {
                if (!Character.isWhitespace(c) && c != '-') {
                    clean.append(Character.toUpperCase(c));
                }
            }
        }
        if (clean.length() == 0) {
            throw new ProtocolException("secret", "type the secret key shown by the service");
        }
        try {
            return OtpSecret.fromBase32(clean.toString());
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new ProtocolException("secret", "is not a Base32 key (letters A–Z and digits 2–7)");
        } finally {
            clean.setLength(0);
        }
    }

    /** "SHA1", "SHA256", "SHA512" as the dialog lists them. */
    public static String label(HmacAlgorithm algorithm) {
        return algorithm.uriName().toUpperCase(Locale.ROOT);
    }
}
