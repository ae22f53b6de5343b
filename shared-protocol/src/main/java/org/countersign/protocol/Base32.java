package org.countersign.protocol;

import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * RFC 4648 Base32, the alphabet of TOTP secrets.
 *
 * <p>{@link #encode} writes upper case without {@code =} padding, the form authenticator apps and
 * {@code otpauth://} URIs use. {@link #decode} is lenient in the ways people type secrets (any case, spaces,
 * {@code =} padding anywhere at the end) and strict about everything else.
 */
public final class Base32 {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Base32() {
    }

    /** Encodes {@code data} as upper-case Base32 without padding; an empty array gives "". */
    public static String encode(byte[] data) {
        Objects.requireNonNull(data, "data");
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /**
     * Decodes Base32 text, ignoring case, spaces and trailing {@code =} padding.
     *
     * <p>Trailing bits that do not fill a byte are dropped, as RFC 4648 decoders do.
     *
     * @throws IllegalArgumentException naming the first character outside the alphabet, or a {@code =} followed by
     *                                  data, or a length no encoder can produce (1, 3 or 6 characters in the last group)
     */
    public static byte[] decode(String text) {
        Objects.requireNonNull(text, "text");
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        int symbols = 0;
        boolean padding = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ') {
                continue;
            }
            if (c == '=') {
                padding = true;
                continue;
            }
            int value = valueOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("invalid Base32 character " + describe(c) + " at position " + i);
            }
            if (padding) {
                throw new IllegalArgumentException("Base32 data after '=' padding at position " + i);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            symbols++;
            if (bits >= 8) {
                out.write((buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        int lastGroup = symbols % 8;
        if (lastGroup == 1 || lastGroup == 3 || lastGroup == 6) {
            throw new IllegalArgumentException("invalid Base32 length: " + symbols + " characters");
        }
        return out.toByteArray();
    }

    private static int valueOf(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a';
        }
        if (c >= '2' && c <= '7') {
            return c - '2' + 26;
        }
        return -1;
    }

    private static String describe(char c) {
        return c >= 0x21 && c <= 0x7e ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
