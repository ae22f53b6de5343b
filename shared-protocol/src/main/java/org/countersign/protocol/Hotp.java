package org.countersign.protocol;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HOTP, RFC 4226: the counter-based code that TOTP builds on. */
public final class Hotp {

    /** The fewest digits a code may have. */
    public static final int MIN_DIGITS = 6;
    /** The most digits a code may have. */
    public static final int MAX_DIGITS = 8;

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Hotp() {
    }

    /**
     * The code for {@code counter}: HMAC over the big-endian counter, dynamic truncation, then modulo
     * 10<sup>digits</sup>, zero-padded on the left to exactly {@code digits} characters.
     *
     * @param counter   the moving factor, 0 or more
     * @param digits    {@value #MIN_DIGITS} to {@value #MAX_DIGITS}
     * @throws ProtocolException for field {@code counter} or {@code digits} when out of range
     */
    public static String code(OtpSecret secret, long counter, int digits, HmacAlgorithm algorithm) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(algorithm, "algorithm");
        checkDigits(digits);
        if (counter < 0) {
            throw new ProtocolException("counter", "must not be negative");
        }
        byte[] hash = hmac(secret, counter, algorithm);
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24)
                | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8)
                | (hash[offset + 3] & 0xff);
        int otp = binary % POWERS_OF_TEN[digits];
        String text = Integer.toString(otp);
        return "0".repeat(digits - text.length()) + text;
    }

    static void checkDigits(int digits) {
        if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
            throw new ProtocolException("digits", "must be " + MIN_DIGITS + " to " + MAX_DIGITS + ", was " + digits);
        }
    }

    private static byte[] hmac(OtpSecret secret, long counter, HmacAlgorithm algorithm) {
        byte[] message = new byte[8];
        for (int i = 7; i >= 0; i--) {
            message[i] = (byte) (counter >>> (8 * (7 - i)));
        }
        byte[] key = secret.bytes();
        try {
            Mac mac = Mac.getInstance(algorithm.jcaName());
            mac.init(new SecretKeySpec(key, algorithm.jcaName()));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.jcaName() + " is part of every Java runtime", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
