package org.countersign.push.signin;

import java.time.Duration;
import java.util.Objects;

/**
 * How failed attempts slow down guessing (passwords, TOTP codes, wrong numbers). A user key allows
 * {@code userFreeFailures} failures in a row, then each further failure doubles a wait that starts at
 * {@code firstDelay}, up to {@code maxDelay}; at {@code lockoutAfter} failures in a row the user is locked out until
 * an admin clears it (NIST SP 800-63B rev 4 allows at most 100). An address key is only delayed, from
 * {@code addressFreeFailures}, and forgets its count after {@code addressMemory} without failures.
 */
public record ThrottlePolicy(int userFreeFailures, int addressFreeFailures, Duration firstDelay, Duration maxDelay,
                             int lockoutAfter, Duration addressMemory) {
    /** The limits the readme states: 5 free, then 5 s doubling to 15 min, lockout at 20; addresses from 10. */
    public static final ThrottlePolicy DEFAULT = new ThrottlePolicy(5, 10, Duration.ofSeconds(5),
            Duration.ofMinutes(15), 20, Duration.ofHours(1));
    /** NIST SP 800-63B rev 4 §3.2.2: no more than 100 consecutive failed attempts on one subscriber account. */
    public static final int NIST_MAX_LOCKOUT = 100;

    public ThrottlePolicy {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(addressMemory, "addressMemory");
        if (userFreeFailures < 1 || addressFreeFailures < 1 || lockoutAfter <= userFreeFailures
                || lockoutAfter > NIST_MAX_LOCKOUT) {
            throw new IllegalArgumentException("need 1 <= free failures < lockoutAfter <= " + NIST_MAX_LOCKOUT);
        }
    }

    /** The wait after the {@code failures}-th failure in a row, for a key that allows {@code free}; zero before. */
    public Duration delayAfter(int failures, int free) {
        if (failures < free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free, 30);
        Duration delay = firstDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
