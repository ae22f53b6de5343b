package org.countersign.protocol;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * The shared secret (seed) of an OTP account. Never a record: {@link #toString()} is redacted and
 * {@link #equals(Object)} runs in constant time for secrets of equal length.
 *
 * <p>Instances copy their input and hand out copies. {@link #wipe()} zeroes the held bytes; any later use throws
 * {@link IllegalStateException}. A secret is 1 to {@value #MAX_BYTES} bytes long.
 */
public final class OtpSecret {

    /** The largest secret accepted from the wire; real secrets are 10 to 64 bytes. */
    public static final int MAX_BYTES = 1024;

    /** RFC 4226 R6: generated secrets are at least 128 bits. */
    public static final int MIN_RANDOM_BYTES = 16;

    private final byte[] bytes;
    private volatile boolean wiped;

    private OtpSecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * A secret holding a copy of {@code bytes}.
     *
     * @throws ProtocolException for field {@code secret} when empty or longer than {@value #MAX_BYTES} bytes
     */
    public static OtpSecret of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        checkLength(bytes.length);
        return new OtpSecret(bytes.clone());
    }

    /**
     * Decodes a Base32 secret as typed or scanned (any case, spaces and {@code =} padding ignored).
     *
     * @throws ProtocolException for field {@code secret} when the text is not Base32 or decodes to an empty or
     *                           over-long secret; the message never repeats the secret
     */
    public static OtpSecret fromBase32(String base32) {
        if (base32 == null || base32.isBlank()) {
            throw new ProtocolException("secret", "is missing");
        }
        if (base32.length() > MAX_BYTES * 2) {
            throw new ProtocolException("secret", "is longer than " + MAX_BYTES + " bytes");
        }
        byte[] decoded;
        try {
            decoded = Base32.decode(base32);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("secret", "is not valid Base32 (" + e.getMessage() + ")");
        }
        try {
            checkLength(decoded.length);
            return new OtpSecret(decoded);
        } catch (ProtocolException e) {
            Arrays.fill(decoded, (byte) 0);
            throw e;
        }
    }

    /**
     * A fresh random secret.
     *
     * @param length the number of bytes, {@value #MIN_RANDOM_BYTES} to {@value #MAX_BYTES} (20 is the usual choice
     *               for SHA1, 32 for SHA256, 64 for SHA512)
     * @throws IllegalArgumentException for a length outside that range
     */
    public static OtpSecret random(SecureRandom random, int length) {
        Objects.requireNonNull(random, "random");
        if (length < MIN_RANDOM_BYTES || length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "secret length must be " + MIN_RANDOM_BYTES + ".." + MAX_BYTES + " bytes, was " + length);
        }
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return new OtpSecret(bytes);
    }

    /** A copy of the secret bytes; the caller should wipe it when done. */
    public byte[] bytes() {
        checkNotWiped();
        return bytes.clone();
    }

    /** The secret as upper-case Base32 without padding. */
    public String base32() {
        checkNotWiped();
        return Base32.encode(bytes);
    }

    /** The secret length in bits. */
    public int bitLength() {
        checkNotWiped();
        return bytes.length * 8;
    }

    /** Zeroes the held bytes. Idempotent; any later use except equals, hashCode and toString throws. */
    public void wipe() {
        wiped = true;
        Arrays.fill(bytes, (byte) 0);
    }

    /** Whether {@link #wipe()} was called. */
    public boolean isWiped() {
        return wiped;
    }

    /** Constant-time comparison of the secret bytes (the length is not hidden). A wiped secret equals nothing. */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return !wiped;
        }
        return other instanceof OtpSecret that
                && !this.wiped && !that.wiped
                && MessageDigest.isEqual(this.bytes, that.bytes);
    }

    /** Depends on the length only, so hash tables reveal nothing about the content. */
    @Override
    public int hashCode() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "OtpSecret[redacted]";
    }

    private void checkNotWiped() {
        if (wiped) {
            throw new IllegalStateException("the secret was wiped");
        }
    }

    private static void checkLength(int length) {
        if (length == 0) {
            throw new ProtocolException("secret", "is empty");
        }
        if (length > MAX_BYTES) {
            throw new ProtocolException("secret", "is longer than " + MAX_BYTES + " bytes");
        }
    }
}
