package org.countersign.protocol;

/** The field checks every parser and compact constructor of this package shares. */
final class Fields {

    /** Ids issued by the service: sign-in ids, device ids. */
    static final int MAX_ID_LENGTH = 256;
    /** Nonces and signatures. */
    static final int MAX_TOKEN_LENGTH = 512;
    /** People's and things' names: users, apps, issuers, locations. */
    static final int MAX_NAME_LENGTH = 256;

    private Fields() {
    }

    /** Non-null, non-empty, at most {@code maxLength} chars, no control or line-separator characters. */
    static String text(String field, String value, int maxLength) {
        if (value == null) {
            throw new ProtocolException(field, "is missing");
        }
        if (value.isEmpty()) {
            throw new ProtocolException(field, "must not be empty");
        }
        if (value.length() > maxLength) {
            throw new ProtocolException(field, "must be at most " + maxLength + " characters");
        }
        if (hasControlCharacter(value)) {
            throw new ProtocolException(field, "must not contain line breaks or control characters");
        }
        return value;
    }

    /** As {@link #text} but null is allowed (an absent optional field). */
    static String optionalText(String field, String value, int maxLength) {
        return value == null ? null : text(field, value, maxLength);
    }

    /** An approval number: 2 to 8 ASCII digits. */
    static String number(String field, String value) {
        if (value == null) {
            throw new ProtocolException(field, "is missing");
        }
        if (value.length() < 2 || value.length() > 8 || !isAsciiDigits(value)) {
            throw new ProtocolException(field, "must be 2 to 8 digits");
        }
        return value;
    }

    static boolean isAsciiDigits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }
}
