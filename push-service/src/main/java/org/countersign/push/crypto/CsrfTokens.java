package org.countersign.push.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The CSRF token of a cookie session (docs/web-sessions.md): HMAC-SHA256 over {@code "csrf"} and the session
 * token's SHA-256 hash, base64url. Derivable, never stored, different per session; a page reads it from
 * {@code GET /web/session} and sends it as {@code X-CSRF-Token}. The HMAC key is derived from the service key, so
 * the AES key of {@link SecretBox} is never used for anything else.
 */
public final class CsrfTokens {
    private static final String HMAC = "HmacSHA256";
    private final SecretKeySpec key;

    public CsrfTokens(byte[] serviceKey) {
        Objects.requireNonNull(serviceKey, "serviceKey");
        if (serviceKey.length != 32) {
            throw new IllegalArgumentException("the service key must be 32 bytes");
        }
        this.key = new SecretKeySpec(mac(new SecretKeySpec(serviceKey, HMAC),
                "countersign-csrf-key-v1".getBytes(StandardCharsets.US_ASCII)), HMAC);
    }

    /** The CSRF token of the session whose (secret) token is given. */
    public String forSession(String sessionToken) {
        byte[] hash = Tokens.hash(sessionToken);
        byte[] input = new byte[4 + hash.length];
        System.arraycopy("csrf".getBytes(StandardCharsets.US_ASCII), 0, input, 0, 4);
        System.arraycopy(hash, 0, input, 4, hash.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(key, input));
    }

    /** True when {@code presented} is the session's CSRF token; compared in constant time. */
    public boolean matches(String sessionToken, String presented) {
        if (sessionToken == null || presented == null || presented.isEmpty() || presented.length() > 100) {
            return false;
        }
        return MessageDigest.isEqual(forSession(sessionToken).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] mac(SecretKeySpec key, byte[] input) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "CsrfTokens[key redacted]";
    }
}
