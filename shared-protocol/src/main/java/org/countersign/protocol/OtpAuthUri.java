package org.countersign.protocol;

import java.util.Locale;
import java.util.Map;

/**
 * A third-party OTP account in the Key URI format
 * {@code otpauth://TYPE/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30}
 * ({@code &counter=N} instead of the period for HOTP).
 *
 * <p>The record's {@code toString} shows the secret as {@code OtpSecret[redacted]}; {@code equals} compares it in
 * constant time.
 *
 * @param type      TOTP or HOTP
 * @param issuer    the organisation, "" when absent; no colon
 * @param account   the account name, non-empty; may contain a colon only when there is an issuer
 * @param secret    the shared secret
 * @param algorithm the HMAC hash (default SHA1)
 * @param digits    code length, 6 to 8 (default 6)
 * @param period    TOTP step in seconds, 1 to 86400 (default 30); always 30 for HOTP, whatever is passed
 * @param counter   HOTP counter, 0 or more; always 0 for TOTP, whatever is passed
 */
public record OtpAuthUri(OtpType type, String issuer, String account, OtpSecret secret, HmacAlgorithm algorithm,
                         int digits, int period, long counter) {

    /** Longer input is refused before any parsing: real URIs are a few hundred characters. */
    public static final int MAX_LENGTH = 4096;

    private static final String SCHEME = "otpauth://";
    private static final int MAX_NAME_LENGTH = 256;

    /** @throws ProtocolException naming the invalid field */
    public OtpAuthUri {
        if (type == null) {
            throw new ProtocolException("type", "is missing");
        }
        if (issuer == null) {
            throw new ProtocolException("issuer", "is missing (use \"\" for none)");
        }
        if (!issuer.isEmpty()) {
            Fields.text("issuer", issuer, MAX_NAME_LENGTH);
            if (issuer.indexOf(':') >= 0) {
                throw new ProtocolException("issuer", "must not contain ':'");
            }
        }
        Fields.text("label", account, MAX_NAME_LENGTH);
        if (account.isBlank()) {
            throw new ProtocolException("label", "the account name must not be blank");
        }
        if (issuer.isEmpty() && account.indexOf(':') >= 0) {
            throw new ProtocolException("label", "an account name with ':' needs an issuer");
        }
        if (type == OtpType.HOTP) {
            period = Totp.DEFAULT.periodSeconds(); // meaningless for HOTP: normalised so that format/parse round-trips
        } else {
            counter = 0;
        }
        if (secret == null) {
            throw new ProtocolException("secret", "is missing");
        }
        if (algorithm == null) {
            throw new ProtocolException("algorithm", "is missing");
        }
        Hotp.checkDigits(digits);
        if (period < Totp.MIN_PERIOD || period > Totp.MAX_PERIOD) {
            throw new ProtocolException("period", "must be " + Totp.MIN_PERIOD + " to " + Totp.MAX_PERIOD + " seconds");
        }
        if (counter < 0) {
            throw new ProtocolException("counter", "must not be negative");
        }
    }

    /** A TOTP account with the given parameters. */
    public static OtpAuthUri totp(String issuer, String account, OtpSecret secret, Totp totp) {
        return new OtpAuthUri(OtpType.TOTP, issuer, account, secret, totp.algorithm(), totp.digits(),
                totp.periodSeconds(), 0);
    }

    /**
     * Parses a Key URI. The label is percent-decoded and split at its first colon (spaces after the colon are
     * dropped); the {@code issuer} parameter wins over the label prefix when both exist. Unknown parameters (such as
     * {@code image}) are ignored; a repeated parameter is refused. {@code +} is a plus sign, not a space.
     *
     * @throws ProtocolException naming the field: {@code uri} (missing, over {@value #MAX_LENGTH} chars),
     *                           {@code scheme}, {@code type}, {@code label}, {@code secret}, {@code algorithm},
     *                           {@code digits}, {@code period}, {@code counter} or {@code issuer}
     */
    public static OtpAuthUri parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw new ProtocolException("uri", "is missing");
        }
        if (uri.length() > MAX_LENGTH) {
            throw new ProtocolException("uri", "is longer than " + MAX_LENGTH + " characters");
        }
        if (!uri.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new ProtocolException("scheme", "must be otpauth://");
        }
        String rest = uri.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        OtpType type = OtpType.fromUriName(slash < 0 ? rest : rest.substring(0, slash));
        if (slash < 0) {
            throw new ProtocolException("label", "is missing");
        }
        int question = rest.indexOf('?', slash);
        String rawLabel = question < 0 ? rest.substring(slash + 1) : rest.substring(slash + 1, question);
        Map<String, String> query = UriCoding.query(question < 0 ? "" : rest.substring(question + 1));

        String label = UriCoding.decode("label", rawLabel);
        int colon = label.indexOf(':');
        String labelIssuer = colon < 0 ? "" : label.substring(0, colon).strip();
        String account = colon < 0 ? label : label.substring(colon + 1).stripLeading();
        if (account.isEmpty()) {
            throw new ProtocolException("label", "the account name is missing");
        }
        String issuerParameter = query.getOrDefault("issuer", "");
        String issuer = issuerParameter.isEmpty() ? labelIssuer : issuerParameter;

        OtpSecret secret = OtpSecret.fromBase32(query.get("secret"));
        HmacAlgorithm algorithm = query.containsKey("algorithm")
                ? HmacAlgorithm.fromUriName(query.get("algorithm")) : HmacAlgorithm.SHA1;
        int digits = (int) number(query, "digits", 6, 1);
        int period = (int) number(query, "period", 30, 5);
        long counter = 0;
        if (type == OtpType.HOTP) {
            if (!query.containsKey("counter")) {
                throw new ProtocolException("counter", "is required for hotp");
            }
            counter = number(query, "counter", 0, 19);
        }
        return new OtpAuthUri(type, issuer, account, secret, algorithm, digits, period, counter);
    }

    /**
     * The canonical URI: label {@code ISSUER:ACCOUNT} (or {@code ACCOUNT}), then {@code secret}, {@code issuer} (when
     * set), {@code algorithm}, {@code digits} and {@code period} or {@code counter}, all percent-encoded.
     * {@code parse(format())} equals this value.
     */
    public String format() {
        StringBuilder out = new StringBuilder(SCHEME).append(type.uriName()).append('/');
        if (!issuer.isEmpty()) {
            out.append(UriCoding.encode(issuer)).append(':');
        }
        out.append(UriCoding.encode(account)).append("?secret=").append(secret.base32());
        if (!issuer.isEmpty()) {
            out.append("&issuer=").append(UriCoding.encode(issuer));
        }
        out.append("&algorithm=").append(algorithm.uriName()).append("&digits=").append(digits);
        if (type == OtpType.TOTP) {
            out.append("&period=").append(period);
        } else {
            out.append("&counter=").append(counter);
        }
        return out.toString();
    }

    /** The decoded label: {@code ISSUER:ACCOUNT}, or {@code ACCOUNT} without an issuer. */
    public String label() {
        return issuer.isEmpty() ? account : issuer + ":" + account;
    }

    /**
     * The TOTP parameters of this account.
     *
     * @throws IllegalStateException for an HOTP account
     */
    public Totp totp() {
        if (type != OtpType.TOTP) {
            throw new IllegalStateException("an " + type.uriName() + " account has no TOTP parameters");
        }
        return new Totp(algorithm, digits, period);
    }

    @Override
    public String toString() {
        return "OtpAuthUri[type=" + type.name().toLowerCase(Locale.ROOT) + ", issuer=" + issuer + ", account="
                + account + ", secret=" + secret + ", algorithm=" + algorithm + ", digits=" + digits + ", period="
                + period + ", counter=" + counter + "]";
    }

    private static long number(Map<String, String> query, String field, long fallback, int maxDigits) {
        String value = query.get(field);
        if (value == null) {
            return fallback;
        }
        if (!Fields.isAsciiDigits(value) || value.length() > maxDigits) {
            throw new ProtocolException(field, "must be a non-negative whole number"
                    + (maxDigits < 19 ? " of at most " + maxDigits + " digits" : ""));
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProtocolException(field, "is too large");
        }
    }
}
