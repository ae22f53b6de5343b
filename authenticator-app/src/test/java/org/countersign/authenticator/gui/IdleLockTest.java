package org.countersign.authenticator.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class IdleLockTest {
    private final MutableClock clock = new MutableClock();

    @Test
    void locksAfterTheTimeoutWithoutActivity() {
        IdleLock lock = new IdleLock(clock, Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        assertThat(lock.shouldLock()).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(lock.shouldLock()).isTrue();
    }

    @Test
    void activityStartsTheWaitAgain() {
        IdleLock lock = new IdleLock(clock, Duration.ofMinutes(5));
        clock.advance(Duration.ofMinutes(4));
        lock.activity();
        clock.advance(Duration.ofMinutes(4));
        assertThat(lock.shouldLock()).isFalse();
    }

    @Test
    void zeroMeansNever() {
        IdleLock lock = new IdleLock(clock, Duration.ZERO);
        clock.advance(Duration.ofDays(1));
        assertThat(lock.shouldLock()).isFalse();
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2025-01-01T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
