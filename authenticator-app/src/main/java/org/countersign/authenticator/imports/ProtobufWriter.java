package org.countersign.authenticator.imports;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** The writing half of {@link ProtobufReader}: varint and length-delimited fields, in the order they are added. */
final class ProtobufWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ProtobufWriter varint(int field, long value) {
        key(field, ProtobufReader.VARINT);
        writeVarint(value);
        return this;
    }

    ProtobufWriter bytes(int field, byte[] value) {
        key(field, ProtobufReader.LENGTH_DELIMITED);
        writeVarint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtobufWriter string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes written so far; the caller wipes them when they hold a secret. */
    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** Overwrites the internal buffer (as far as ByteArrayOutputStream allows: reset, then zeros). */
    void wipe() {
        int size = out.size();
        out.reset();
        out.writeBytes(new byte[size]);
        out.reset();
    }

    private void key(int field, int wireType) {
        writeVarint((long) field << 3 | wireType);
    }

    private void writeVarint(long value) {
        long rest = value;
        while ((rest & ~0x7fL) != 0) {
            out.write((int) (rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.write((int) rest);
    }
}
