package org.countersign.push.signin;

import java.time.Duration;
import java.time.Instant;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.User;

/**
 * Decides who must use MFA (ARCHITECTURE.md §4). The per-user state wins when it asks for MFA; otherwise
 * security defaults ask it of everyone. Under security defaults alone a user who has not registered gets
 * {@link #REGISTRATION_GRACE} from the first sign-in that asked, during which registration can be skipped.
 */
public final class MfaPolicy {
    public static final Duration REGISTRATION_GRACE = Duration.ofDays(14);

    public MfaRequirement evaluate(User user, Settings settings) {
        if (user.mfaState() != MfaState.DISABLED) {
            return new MfaRequirement(true, "per_user");
        }
        if (settings.securityDefaults()) {
            return new MfaRequirement(true, "security_defaults");
        }
        return MfaRequirement.NONE;
    }

    /** True when registration may still be skipped: only security defaults ask, and the grace is not over. */
    public boolean registrationSkippable(MfaRequirement requirement, Instant graceStart, Instant now) {
        return "security_defaults".equals(requirement.reason()) && now.isBefore(graceStart.plus(REGISTRATION_GRACE));
    }

    /** Whole days of grace left at {@code now} (rounded up), never negative. */
    public int graceDaysLeft(Instant graceStart, Instant now) {
        Duration left = Duration.between(now, graceStart.plus(REGISTRATION_GRACE));
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        long days = left.toDays();
        return (int) (left.equals(Duration.ofDays(days)) ? days : days + 1);
    }
}
