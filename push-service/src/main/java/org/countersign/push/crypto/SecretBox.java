package org.countersign.push.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (TOTP seeds) with AES-256-GCM. Callers give the plaintext and the associated data
 * (the ids of the row the secret belongs to, so ciphertexts cannot be moved between rows); the box picks the
 * nonce and records its format version with the ciphertext: {@code version(1) || nonce(12) || ciphertext+tag}.
 */
public final class SecretBox {
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random;

    public SecretBox(byte[] key, SecureRandom random) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the secret box key must be 32 bytes (AES-256)");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
        this.random = Objects.requireNonNull(random, "random");
    }

    public byte[] seal(byte[] plaintext, String... associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(associatedData));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws SecretBoxException when the box was tampered with, moved to another row or sealed with another key */
    public byte[] open(byte[] box, String... associatedData) {
        if (box.length < 1 + NONCE_BYTES + TAG_BITS / 8 || box[0] != VERSION) {
            throw new SecretBoxException("unknown or truncated secret box");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, box, 1, NONCE_BYTES));
            cipher.updateAAD(aad(associatedData));
            return cipher.doFinal(box, 1 + NONCE_BYTES, box.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretBoxException("secret box does not authenticate (wrong key, row or tampering)");
        } catch (GeneralSecurityException e) {
            throw new SecretBoxException("secret box cannot be opened: " + e.getMessage());
        }
    }

    /** Length-prefixed parts, so ("ab","c") and ("a","bc") authenticate differently. */
    private static byte[] aad(String... parts) {
        ByteBuffer buffer = ByteBuffer.allocate(Arrays.stream(parts)
                .mapToInt(p -> 4 + p.getBytes(StandardCharsets.UTF_8).length).sum());
        for (String part : parts) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            buffer.putInt(bytes.length).put(bytes);
        }
        return buffer.array();
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM, key redacted]";
    }

    /** A box that does not open: never shown to clients as anything but a server error. */
    public static final class SecretBoxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SecretBoxException(String message) {
            super(message);
        }
    }
}
