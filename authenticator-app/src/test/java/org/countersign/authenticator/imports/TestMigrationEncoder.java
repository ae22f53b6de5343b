package org.countersign.authenticator.imports;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A test-only encoder of Google Authenticator's MigrationPayload, written from the published field numbers and
 * independent of the production {@link ProtobufWriter}, so an importer bug cannot hide behind the same encoder bug.
 */
final class TestMigrationEncoder {
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

    /** Adds an OtpParameters entry; algorithm 1 SHA1 2 SHA256 3 SHA512 4 MD5; digits 1 six 2 eight; type 1 HOTP 2 TOTP. */
    TestMigrationEncoder entry(byte[] secret, String name, String issuer, int algorithm, int digits, int type,
                               long counter) {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        field(entry, 1, secret);
        field(entry, 2, name.getBytes(StandardCharsets.UTF_8));
        field(entry, 3, issuer.getBytes(StandardCharsets.UTF_8));
        number(entry, 4, algorithm);
        number(entry, 5, digits);
        number(entry, 6, type);
        if (counter != 0) {
            number(entry, 7, counter);
        }
        number(entry, 99, 1); // an unknown field the reader must skip
        field(payload, 1, entry.toByteArray());
        return this;
    }

    /** The URI for this payload as batch {@code index} of {@code size}. */
    String uri(int size, int index, int batchId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(payload.toByteArray());
        number(out, 2, 1);
        number(out, 3, size);
        number(out, 4, index);
        number(out, 5, batchId);
        return "otpauth-migration://offline?data="
                + URLEncoder.encode(Base64.getEncoder().encodeToString(out.toByteArray()), StandardCharsets.UTF_8);
    }

    private static void field(ByteArrayOutputStream out, int number, byte[] value) {
        varint(out, number * 8L + 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void number(ByteArrayOutputStream out, int number, long value) {
        varint(out, number * 8L);
        varint(out, value);
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while (value >= 0x80) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
