package org.countersign.authenticator.imports;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough of the protobuf wire format to read a Google Authenticator migration payload: varints,
 * length-delimited fields and skipping everything else. Every read is bounds-checked, so hostile input fails with
 * an {@link IllegalArgumentException} instead of reading past the end.
 */
final class ProtobufReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] bytes;
    private int position;

    ProtobufReader(byte[] bytes) {
        this.bytes = bytes;
    }

    boolean hasMore() {
        return position < bytes.length;
    }

    /** The next field's key: field number {@code << 3 | wire type}. */
    int nextKey() {
        long key = varint();
        if (key >>> 3 == 0 || key > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad field key " + key);
        }
        return (int) key;
    }

    static int fieldNumber(int key) {
        return key >>> 3;
    }

    static int wireType(int key) {
        return key & 7;
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= bytes.length) {
                throw new IllegalArgumentException("payload ends inside a number");
            }
            byte b = bytes[position++];
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("number longer than 10 bytes");
    }

    byte[] lengthDelimited() {
        long length = varint();
        if (length < 0 || length > bytes.length - position) {
            throw new IllegalArgumentException("field length " + length + " runs past the end of the payload");
        }
        byte[] value = Arrays.copyOfRange(bytes, position, position + (int) length);
        position += (int) length;
        return value;
    }

    String string() {
        return new String(lengthDelimited(), StandardCharsets.UTF_8);
    }

    /** Skips the value of a field whose key was just read. */
    void skip(int key) {
        switch (wireType(key)) {
            case VARINT -> varint();
            case LENGTH_DELIMITED -> lengthDelimited();
            case FIXED64 -> advance(8);
            case FIXED32 -> advance(4);
            default -> throw new IllegalArgumentException("unsupported wire type " + wireType(key));
        }
    }

    private void advance(int count) {
        if (count > bytes.length - position) {
            throw new IllegalArgumentException("payload ends inside a field");
        }
        position += count;
    }
}
