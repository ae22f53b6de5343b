package org.countersign.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 3986 percent-encoding for the two URI formats. Strict on purpose: {@code +} is a plus sign, never a space
 * (that is HTML form encoding), and a malformed escape or invalid UTF-8 is an error, not a replacement character.
 */
final class UriCoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriCoding() {
    }

    /** Encodes everything except the RFC 3986 unreserved characters. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >>> 4]).append(HEX[c & 15]);
            }
        }
        return out.toString();
    }

    /** Decodes percent escapes as UTF-8. */
    static String decode(String field, String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw new ProtocolException(field, "has a malformed percent escape");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c > 0x7e || c < 0x20) {
                throw new ProtocolException(field, "has a character that must be percent-encoded");
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(field, "is not valid UTF-8 after percent-decoding");
        }
    }

    /**
     * Splits a query ({@code a=1&b=2}) into decoded name/value pairs in order. Empty pieces ({@code &&}) are skipped.
     *
     * @throws ProtocolException naming the parameter when it appears twice or is malformed
     */
    static Map<String, String> query(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return parameters;
        }
        for (String piece : query.split("&", -1)) {
            if (piece.isEmpty()) {
                continue;
            }
            int equals = piece.indexOf('=');
            String name = decode("query", equals < 0 ? piece : piece.substring(0, equals));
            String value = equals < 0 ? "" : decode(name, piece.substring(equals + 1));
            if (parameters.putIfAbsent(name, value) != null) {
                throw new ProtocolException(name, "appears more than once");
            }
        }
        return parameters;
    }

    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
