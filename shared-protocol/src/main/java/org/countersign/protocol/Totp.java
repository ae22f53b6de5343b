package org.countersign.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * TOTP parameters and maths, RFC 6238: an HOTP code whose counter is the time step
 * {@code floor(unixSeconds / periodSeconds)}.
 *
 * @param algorithm     the HMAC hash
 * @param digits        code length, {@value Hotp#MIN_DIGITS} to {@value Hotp#MAX_DIGITS}
 * @param periodSeconds step length, {@value #MIN_PERIOD} to {@value #MAX_PERIOD} seconds
 */
public record Totp(HmacAlgorithm algorithm, int digits, int periodSeconds) {

    /** What authenticator apps assume when nothing is said: SHA1, 6 digits, 30 seconds. */
    public static final Totp DEFAULT = new Totp(HmacAlgorithm.SHA1, 6, 30);

    /** The shortest period accepted. */
    public static final int MIN_PERIOD = 1;
    /**
     * The longest period accepted: a day. Issuers may choose any period (RFC 6238 only recommends 30 s), so the
     * parser takes what a real account might use; what a service hands out is its own choice ({@link #DEFAULT}).
     */
    public static final int MAX_PERIOD = 86_400;
    /** The widest verification window accepted, in steps either side of now. */
    public static final int MAX_WINDOW = 10;

    /** @throws ProtocolException for field {@code algorithm}, {@code digits} or {@code period} */
    public Totp {
        if (algorithm == null) {
            throw new ProtocolException("algorithm", "is missing");
        }
        Hotp.checkDigits(digits);
        if (periodSeconds < MIN_PERIOD || periodSeconds > MAX_PERIOD) {
            throw new ProtocolException("period",
                    "must be " + MIN_PERIOD + " to " + MAX_PERIOD + " seconds, was " + periodSeconds);
        }
    }

    /** The time step containing {@code instant}; negative before 1970 (no code exists for those). */
    public long stepAt(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), periodSeconds);
    }

    /**
     * The code at {@code instant}.
     *
     * @throws ProtocolException for field {@code counter} when the instant is before 1970
     */
    public String codeAt(OtpSecret secret, Instant instant) {
        return codeForStep(secret, stepAt(instant));
    }

    /** The code for a time step (0 or more). */
    public String codeForStep(OtpSecret secret, long step) {
        return Hotp.code(secret, step, digits, algorithm);
    }

    /**
     * Finds the step whose code equals {@code code}, checking steps {@code now - window} to {@code now + window}.
     *
     * <p>Every step in the window is computed and compared in constant time whatever matches, so the answer time
     * does not tell which step matched. A {@code code} that is null or not exactly {@link #digits()} ASCII digits
     * never matches. Should two steps match (a one in 10<sup>digits</sup> coincidence), the one closest to now wins,
     * the earlier on a tie. Steps before 1970 are skipped. Replay protection (refusing a step at or below the last
     * consumed one) is the caller's job.
     *
     * @param window 0 to {@value #MAX_WINDOW}
     * @return the matched step, or empty
     * @throws IllegalArgumentException for a window out of range
     */
    public OptionalLong matchingStep(OtpSecret secret, String code, Instant now, int window) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(now, "now");
        if (window < 0 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be 0.." + MAX_WINDOW + ", was " + window);
        }
        if (!isWellFormed(code)) {
            return OptionalLong.empty();
        }
        byte[] expected = code.getBytes(StandardCharsets.US_ASCII);
        long current = stepAt(now);
        long best = -1;
        long bestDistance = Long.MAX_VALUE;
        for (long step = current - window; step <= current + window; step++) {
            if (step < 0) {
                continue;
            }
            byte[] candidate = codeForStep(secret, step).getBytes(StandardCharsets.US_ASCII);
            boolean match = MessageDigest.isEqual(candidate, expected);
            long distance = Math.abs(step - current);
            if (match && distance < bestDistance) {
                best = step;
                bestDistance = distance;
            }
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    private boolean isWellFormed(String code) {
        if (code == null || code.length() != digits) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
