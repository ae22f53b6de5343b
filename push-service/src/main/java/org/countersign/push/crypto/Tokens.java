package org.countersign.push.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Opaque bearer values (session, remember and activation tokens): 256 random bits, base64url, and the
 * SHA-256 hash that is all the database ever stores.
 */
public final class Tokens {
    private static final int TOKEN_BYTES = 32;
    private final SecureRandom random;

    public Tokens(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A fresh token of 256 random bits. */
    public String newToken() {
        return newToken(TOKEN_BYTES);
    }

    public String newToken(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
