package org.countersign.push.signin;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * The numbers people type to approve (number matching): uniformly random, without a leading zero, with 2 digits
 * (10–99) by default and up to 6 when the service asks for it.
 */
public final class ChallengeNumbers {
    private final SecureRandom random;

    public ChallengeNumbers(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    public String next(int digits) {
        if (digits < 2 || digits > 6) {
            throw new IllegalArgumentException("digits must be 2..6");
        }
        int low = (int) Math.pow(10, digits - 1);
        return Integer.toString(low + random.nextInt(9 * low));
    }
}
