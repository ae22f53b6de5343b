package org.countersign.push.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of the {@link SecretBox}, so that the key encrypting TOTP secrets can be replaced without downtime: the
 * {@code primary} key seals, every key opens, {@code old} keys are the ones the background re-encryption moves rows
 * away from, and {@code next} keys are staged on every node (open only) before one of them becomes primary, so that no
 * node ever meets a secret sealed with a key it does not know. A key's id is derived from the key itself, so every
 * node computes the same id without coordination.
 *
 * <p>The CSRF key is kept apart and stays the same across rotations (by default it is derived from the first key the
 * installation had, as before key rings existed), so rotating never invalidates open browser sessions.
 */
public record KeyRing(List<Key> keys, byte[] csrfKey) {

    /** What a key is for. */
    public enum Role {
        /** Seals new secrets (exactly one). */
        PRIMARY,
        /** Staged: opens secrets, becomes primary at the next rotation. */
        NEXT,
        /** Being retired: opens secrets; rows sealed with it are re-encrypted under the primary. */
        OLD;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One AES-256 key with its derived id (8 hex digits) and role. */
    public record Key(String id, byte[] bytes, Role role) {
        public Key {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(role, "role");
            if (bytes.length != 32) {
                throw new IllegalArgumentException("a secret key must be 32 bytes (AES-256)");
            }
            bytes = bytes.clone();
        }

        public static Key of(byte[] bytes, Role role) {
            return new Key(idOf(bytes), bytes, role);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.id.equals(id) && key.role == role;
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return "Key[" + id + ", " + role.wire() + ", redacted]";
        }
    }

    public KeyRing {
        keys = List.copyOf(keys);
        if (keys.stream().filter(k -> k.role() == Role.PRIMARY).count() != 1) {
            throw new IllegalArgumentException("a key ring needs exactly one primary key");
        }
        if (keys.stream().map(Key::id).distinct().count() != keys.size()) {
            throw new IllegalArgumentException("a key ring lists the same key twice");
        }
        if (csrfKey.length != 32) {
            throw new IllegalArgumentException("the CSRF key must be 32 bytes");
        }
        csrfKey = csrfKey.clone();
    }

    /** One key, primary, also the source of the CSRF key: the configuration of a service before key rings. */
    public static KeyRing single(byte[] key) {
        return new KeyRing(List.of(Key.of(key, Role.PRIMARY)), key);
    }

    /** The 4-byte id of a key: the start of SHA-256("countersign-secret-key-id-v1" || key). Not secret. */
    public static String idOf(byte[] key) {
        return HexFormat.of().formatHex(idBytes(key));
    }

    static byte[] idBytes(byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("countersign-secret-key-id-v1".getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(digest.digest(key), 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public Key primary() {
        return keys.stream().filter(k -> k.role() == Role.PRIMARY).findFirst().orElseThrow();
    }

    public Optional<Key> find(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    /** Ids of the keys whose rows the re-encryption job moves to the primary. */
    public List<String> oldIds() {
        return keys.stream().filter(k -> k.role() == Role.OLD).map(Key::id).toList();
    }

    @Override
    public byte[] csrfKey() {
        return csrfKey.clone();
    }

    /** A ring with {@code key} added (not as primary), every other key kept. */
    public KeyRing with(Key key) {
        List<Key> changed = new ArrayList<>(keys.stream().filter(k -> !k.id().equals(key.id())).toList());
        changed.add(key);
        return new KeyRing(changed, csrfKey);
    }

    public KeyRing without(String id) {
        return new KeyRing(keys.stream().filter(k -> !k.id().equals(id)).toList(), csrfKey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRing ring && ring.keys.equals(keys) && Arrays.equals(ring.csrfKey, csrfKey);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    @Override
    public String toString() {
        return "KeyRing" + keys;
    }
}
