package org.countersign.authenticator.vault;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The plaintext header at the start of a vault file (see VAULT-FORMAT.md). Its exact bytes are the AES-GCM associated
 * data, so any change to it makes the file unreadable rather than silently weaker.
 */
final class VaultHeader {
    static final byte[] MAGIC = {'C', 'S', 'V', 'A', 'U', 'L', 'T', 0};
    /** The version this code writes. */
    static final int FORMAT_VERSION = 2;
    /** The oldest version this code still reads; it is rewritten as {@link #FORMAT_VERSION} on the next save. */
    static final int OLDEST_READABLE_VERSION = 1;
    static final String KDF_NAME = "argon2id";
    static final String AEAD_NAME = "AES-256-GCM";
    static final int SALT_LENGTH = 16;
    static final int NONCE_LENGTH = 12;
    private static final int MIN_SALT_LENGTH = 16;
    private static final int MAX_SALT_LENGTH = 64;

    private final int formatVersion;
    private final int backupCount;
    private final KdfParameters kdf;
    private final byte[] salt;
    private final byte[] nonce;
    private final byte[] encoded;

    private VaultHeader(int formatVersion, int backupCount, KdfParameters kdf, byte[] salt, byte[] nonce,
                        byte[] encoded) {
        this.formatVersion = formatVersion;
        this.backupCount = backupCount;
        this.kdf = kdf;
        this.salt = salt;
        this.nonce = nonce;
        this.encoded = encoded;
    }

    /** A header for a new save: fresh salt and nonce every time. */
    static VaultHeader fresh(KdfParameters kdf, int backupCount, SecureRandom random) {
        Backups.check(backupCount);
        byte[] salt = new byte[SALT_LENGTH];
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        return new VaultHeader(FORMAT_VERSION, backupCount, kdf, salt, nonce, encode(kdf, backupCount, salt, nonce));
    }

    private static byte[] encode(KdfParameters kdf, int backupCount, byte[] salt, byte[] nonce) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        out.writeBytes(MAGIC);
        out.write(FORMAT_VERSION >>> 8);
        out.write(FORMAT_VERSION);
        out.write(backupCount);
        writeShortString(out, KDF_NAME);
        out.writeBytes(ByteBuffer.allocate(12).putInt(kdf.memoryKiB()).putInt(kdf.iterations())
                .putInt(kdf.parallelism()).array());
        out.write(salt.length);
        out.writeBytes(salt);
        writeShortString(out, AEAD_NAME);
        out.write(nonce.length);
        out.writeBytes(nonce);
        return out.toByteArray();
    }

    private static void writeShortString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    /**
     * Reads the header at the start of {@code file}.
     *
     * @throws IllegalArgumentException naming what is wrong, when the bytes are not a version 1 or 2 header
     */
    static VaultHeader parse(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file);
        byte[] magic = take(in, MAGIC.length, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a Countersign vault (bad magic bytes)");
        }
        int version = Short.toUnsignedInt(need(in, 2, "format version").getShort());
        if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
            throw new IllegalArgumentException("unsupported vault format version " + version
                    + (version > FORMAT_VERSION ? " (written by a newer version of this program)" : ""));
        }
        int backupCount = Backups.DEFAULT_COUNT; // version 1 had no such field
        if (version >= 2) {
            backupCount = Byte.toUnsignedInt(need(in, 1, "backup count").get());
            if (backupCount > Backups.MAX_COUNT) {
                throw new IllegalArgumentException("bad backup count " + backupCount);
            }
        }
        String kdfName = readShortString(in, "KDF name");
        if (!KDF_NAME.equals(kdfName)) {
            throw new IllegalArgumentException("unsupported KDF '" + kdfName + "'");
        }
        ByteBuffer costs = need(in, 12, "KDF parameters");
        KdfParameters kdf = new KdfParameters(costs.getInt(), costs.getInt(), costs.getInt());
        int saltLength = Byte.toUnsignedInt(need(in, 1, "salt length").get());
        if (saltLength < MIN_SALT_LENGTH || saltLength > MAX_SALT_LENGTH) {
            throw new IllegalArgumentException("bad salt length " + saltLength);
        }
        byte[] salt = take(in, saltLength, "salt");
        String aeadName = readShortString(in, "AEAD name");
        if (!AEAD_NAME.equals(aeadName)) {
            throw new IllegalArgumentException("unsupported cipher '" + aeadName + "'");
        }
        int nonceLength = Byte.toUnsignedInt(need(in, 1, "nonce length").get());
        if (nonceLength != NONCE_LENGTH) {
            throw new IllegalArgumentException("bad nonce length " + nonceLength);
        }
        byte[] nonce = take(in, nonceLength, "nonce");
        byte[] encoded = Arrays.copyOf(file, in.position());
        return new VaultHeader(version, backupCount, kdf, salt, nonce, encoded);
    }

    private static String readShortString(ByteBuffer in, String what) {
        int length = Byte.toUnsignedInt(need(in, 1, what).get());
        byte[] bytes = take(in, length, what);
        for (byte b : bytes) {
            if (b < 0x21 || b > 0x7e) {
                throw new IllegalArgumentException("bad " + what);
            }
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static ByteBuffer need(ByteBuffer in, int length, String what) {
        if (in.remaining() < length) {
            throw new IllegalArgumentException("file ends inside the header (" + what + ")");
        }
        return in;
    }

    private static byte[] take(ByteBuffer in, int length, String what) {
        byte[] bytes = new byte[length];
        need(in, length, what).get(bytes);
        return bytes;
    }

    int formatVersion() {
        return formatVersion;
    }

    /** How many rotating backups saves keep (3 for a version 1 file, which did not record it). */
    int backupCount() {
        return backupCount;
    }

    KdfParameters kdf() {
        return kdf;
    }

    byte[] salt() {
        return salt.clone();
    }

    byte[] nonce() {
        return nonce.clone();
    }

    /** The exact header bytes: written first in the file and used as the GCM associated data. */
    byte[] encoded() {
        return encoded.clone();
    }

    int length() {
        return encoded.length;
    }
}
