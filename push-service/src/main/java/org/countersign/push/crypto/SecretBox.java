package org.countersign.push.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (TOTP seeds) with AES-256-GCM under a {@link KeyRing}. Callers give the plaintext and the
 * associated data (the ids of the row the secret belongs to, so ciphertexts cannot be moved between rows); the box
 * picks the nonce and records the format version and the key with the ciphertext:
 * <ul>
 *   <li>version 2 (written now): {@code 0x02 || keyId(4) || nonce(12) || ciphertext+tag}, the 5-byte header being
 *       authenticated too (it is prepended to the associated data);</li>
 *   <li>version 1 (before key rings): {@code 0x01 || nonce(12) || ciphertext+tag}, no key id: opened with the
 *       original key, found by trying each key of the ring (GCM authentication tells the right one).</li>
 * </ul>
 * The ring can be replaced while the service runs ({@link #replace}), so a rotation needs no restart.
 */
public final class SecretBox {
    private static final byte VERSION_1 = 1;
    private static final byte VERSION_2 = 2;
    private static final int HEADER_2 = 5;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random;
    private volatile KeyRing ring;

    public SecretBox(KeyRing ring, SecureRandom random) {
        this.ring = Objects.requireNonNull(ring, "ring");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A box with a single key (the configuration before key rings). */
    public SecretBox(byte[] key, SecureRandom random) {
        this(KeyRing.single(key), random);
    }

    public KeyRing ring() {
        return ring;
    }

    /** Uses {@code newRing} from now on (seals with its primary, opens with all its keys). */
    public void replace(KeyRing newRing) {
        this.ring = Objects.requireNonNull(newRing, "newRing");
    }

    public byte[] seal(byte[] plaintext, String... associatedData) {
        KeyRing.Key primary = ring.primary();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] header = ByteBuffer.allocate(HEADER_2).put(VERSION_2).put(HexFormat.of().parseHex(primary.id())).array();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, aes(primary), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            cipher.updateAAD(aad(associatedData));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(HEADER_2 + NONCE_BYTES + sealed.length).put(header).put(nonce).put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * @throws MissingKeyException when the box names a key this ring does not hold
     * @throws SecretBoxException  when the box was tampered with, moved to another row or sealed with another key
     */
    public byte[] open(byte[] box, String... associatedData) {
        KeyRing current = ring;
        if (box.length >= HEADER_2 + NONCE_BYTES + TAG_BITS / 8 && box[0] == VERSION_2) {
            String id = HexFormat.of().formatHex(box, 1, HEADER_2);
            KeyRing.Key key = current.find(id).orElseThrow(() -> new MissingKeyException(id));
            return decrypt(key, box, HEADER_2, Arrays.copyOf(box, HEADER_2), associatedData);
        }
        if (box.length >= 1 + NONCE_BYTES + TAG_BITS / 8 && box[0] == VERSION_1) {
            for (KeyRing.Key key : current.keys()) {
                try {
                    return decrypt(key, box, 1, new byte[0], associatedData);
                } catch (SecretBoxException wrongKey) {
                    // try the next key: version 1 boxes do not say which key sealed them
                }
            }
            throw new SecretBoxException("secret box (version 1) opens with no key of the ring (wrong key, row or "
                    + "tampering)");
        }
        throw new SecretBoxException("unknown or truncated secret box");
    }

    /** The id of the key that sealed {@code box}; empty for a version 1 box, which names none. */
    public static Optional<String> keyIdOf(byte[] box) {
        return box.length >= HEADER_2 && box[0] == VERSION_2
                ? Optional.of(HexFormat.of().formatHex(box, 1, HEADER_2)) : Optional.empty();
    }

    /** Whether the re-encryption should move this box to the primary key: version 1, or sealed with an old key. */
    public boolean needsReseal(byte[] box) {
        Optional<String> id = keyIdOf(box);
        return id.isEmpty() || ring.oldIds().contains(id.get());
    }

    private static byte[] decrypt(KeyRing.Key key, byte[] box, int nonceAt, byte[] header, String... associatedData) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, aes(key), new GCMParameterSpec(TAG_BITS, box, nonceAt, NONCE_BYTES));
            cipher.updateAAD(header);
            cipher.updateAAD(aad(associatedData));
            int start = nonceAt + NONCE_BYTES;
            return cipher.doFinal(box, start, box.length - start);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException("secret box does not authenticate (wrong key, row or tampering)");
        } catch (GeneralSecurityException e) {
            throw new SecretBoxException("secret box cannot be opened: " + e.getMessage());
        }
    }

    private static SecretKeySpec aes(KeyRing.Key key) {
        return new SecretKeySpec(key.bytes(), "AES");
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
        return "SecretBox[AES-256-GCM, primary key " + ring.primary().id() + ", keys redacted]";
    }

    /** A box that does not open: never shown to clients as anything but a server error. */
    public static class SecretBoxException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public SecretBoxException(String message) {
            super(message);
        }
    }

    /** A box sealed with a key this node does not hold (a rotation rolled out in the wrong order, or a lost key). */
    public static final class MissingKeyException extends SecretBoxException {
        private static final long serialVersionUID = 1L;
        private final String keyId;

        public MissingKeyException(String keyId) {
            super("secret box is sealed with key " + keyId + ", which is not in this node's key ring");
            this.keyId = keyId;
        }

        public String keyId() {
            return keyId;
        }
    }
}
