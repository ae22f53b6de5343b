package org.countersign.authenticator.clock;

import java.time.Duration;

/**
 * Whether a clock skew breaks one-time codes. A 30 s code is usually accepted one step either side, so a skew
 * past {@value #WARNING_SECONDS} s makes codes fail near the edges of each period and past {@value #ERROR_SECONDS} s
 * most of the time.
 */
public enum SkewVerdict {
    /** At most 15 s: codes work. */
    OK,
    /** Over 15 s: some codes will be refused. */
    WARNING,
    /** Over 30 s: most codes will be refused. */
    ERROR;

    public static final int WARNING_SECONDS = 15;
    public static final int ERROR_SECONDS = 30;

    public static SkewVerdict of(Duration skew) {
        long millis = Math.abs(skew.toMillis());
        if (millis > ERROR_SECONDS * 1000L) {
            return ERROR;
        }
        return millis > WARNING_SECONDS * 1000L ? WARNING : OK;
    }

    /** "3.2 s ahead of" / "40.0 s behind" wording: positive skew means the local clock is behind the service. */
    public static String describe(Duration skew) {
        long millis = skew.toMillis();
        String amount = String.format(java.util.Locale.ROOT, "%.1f s", Math.abs(millis) / 1000.0);
        return millis == 0 ? "in step with" : millis > 0 ? amount + " behind" : amount + " ahead of";
    }
}
