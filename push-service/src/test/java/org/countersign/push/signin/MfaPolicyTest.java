package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.Role;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.User;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Who must use MFA, and the registration grace of security defaults (ARCHITECTURE.md §2.2 step 2, §4). */
class MfaPolicyTest {
    private static final Instant START = Instant.parse("2026-11-23T09:00:00Z");
    private static final Settings DEFAULTS_ON = new Settings(true, START, false, 14, 2);
    private static final Settings DEFAULTS_OFF = new Settings(false, START, false, 14, 2);
    private static final MfaRequirement BY_DEFAULTS = new MfaRequirement(true, "security_defaults");
    private static final MfaRequirement PER_USER = new MfaRequirement(true, "per_user");

    private final MfaPolicy policy = new MfaPolicy();

    private static User user(MfaState state) {
        return new User(UUID.randomUUID(), "someone", "Someone", Role.USER, state, Optional.empty(), 0, START);
    }

    @Nested
    class TheRequirement {
        @Test
        void isPerUserForEnforcedAndEnabledUsersWhateverTheSettings() {
            for (Settings settings : new Settings[] {DEFAULTS_ON, DEFAULTS_OFF}) {
                assertThat(policy.evaluate(user(MfaState.ENFORCED), settings)).isEqualTo(PER_USER);
                assertThat(policy.evaluate(user(MfaState.ENABLED), settings)).isEqualTo(PER_USER);
            }
        }

        @Test
        void isSecurityDefaultsForADisabledUserWhileTheyAreOn() {
            assertThat(policy.evaluate(user(MfaState.DISABLED), DEFAULTS_ON)).isEqualTo(BY_DEFAULTS);
        }

        @Test
        void isNoneForADisabledUserWhenSecurityDefaultsAreOff() {
            MfaRequirement requirement = policy.evaluate(user(MfaState.DISABLED), DEFAULTS_OFF);
            assertThat(requirement.required()).isFalse();
            assertThat(requirement.reason()).isEqualTo("none");
        }
    }

    @Nested
    class Skipping {
        @Test
        void isAllowedUnderSecurityDefaultsUntilTheFourteenDaysAreOver() {
            assertThat(policy.registrationSkippable(BY_DEFAULTS, START, START)).isTrue();
            Instant lastSecond = START.plus(Duration.ofDays(14)).minusSeconds(1);
            assertThat(policy.registrationSkippable(BY_DEFAULTS, START, lastSecond)).isTrue();
            assertThat(policy.registrationSkippable(BY_DEFAULTS, START, START.plus(Duration.ofDays(14)))).isFalse();
            assertThat(policy.registrationSkippable(BY_DEFAULTS, START, START.plus(Duration.ofDays(15)))).isFalse();
        }

        @Test
        void isNeverAllowedWhenTheUserIsEnrolledForMfa() {
            assertThat(policy.registrationSkippable(PER_USER, START, START)).isFalse();
        }
    }

    @Nested
    class DaysLeft {
        @Test
        void areFourteenAtTheStartOfTheGrace() {
            assertThat(policy.graceDaysLeft(START, START)).isEqualTo(14);
        }

        @Test
        void roundAPartDayUp() {
            assertThat(policy.graceDaysLeft(START, START.plusSeconds(1))).isEqualTo(14);
            assertThat(policy.graceDaysLeft(START, START.plus(Duration.ofDays(1)))).isEqualTo(13);
            assertThat(policy.graceDaysLeft(START, START.plus(Duration.ofDays(1).plusHours(1)))).isEqualTo(13);
            assertThat(policy.graceDaysLeft(START, START.plus(Duration.ofDays(14)).minusSeconds(1))).isEqualTo(1);
        }

        @Test
        void areZeroWhenTheGraceIsOverAndNeverNegative() {
            assertThat(policy.graceDaysLeft(START, START.plus(Duration.ofDays(14)))).isZero();
            assertThat(policy.graceDaysLeft(START, START.plus(Duration.ofDays(400)))).isZero();
        }
    }
}
