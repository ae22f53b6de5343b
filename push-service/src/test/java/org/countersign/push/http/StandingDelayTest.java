package org.countersign.push.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The rule for the database pool's queue, on a clock the test moves: it stands once every wait of a whole interval
 * was longer than the target and there were enough of them, and ends with one short wait, or when no wait is seen
 * for a second.
 */
class StandingDelayTest {
    private static final Duration TARGET = Duration.ofMillis(50);
    private static final long LONG_WAIT = Duration.ofMillis(300).toNanos();
    private static final long SHORT_WAIT = Duration.ofMillis(2).toNanos();

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final StandingDelay delay = new StandingDelay(TARGET, nanos::get);

    @Test
    void shortWaitsAreNoQueue() {
        for (int i = 0; i < 50; i++) {
            after(Duration.ofMillis(10), TARGET.toNanos());
        }
        assertThat(delay.standing()).isFalse();
    }

    @Test
    void manyLongWaitsForAWholeIntervalAreAStandingQueue() {
        for (int i = 0; i < 40; i++) {
            after(Duration.ofMillis(2), LONG_WAIT);
        }
        assertThat(delay.standing()).as("80 ms of long waits").isFalse();
        for (int i = 0; i < 11; i++) {
            after(Duration.ofMillis(2), LONG_WAIT);
        }
        assertThat(delay.standing()).as("100 ms of long waits").isTrue();
    }

    @Test
    void aFewLongWaitsAreNotAQueueHoweverLong() {
        for (int i = 0; i < StandingDelay.MIN_WAITS - 1; i++) {
            after(Duration.ofMillis(20), LONG_WAIT);
        }
        assertThat(delay.standing()).as("as when the pool opens its first connections").isFalse();
        after(Duration.ofMillis(20), LONG_WAIT);
        assertThat(delay.standing()).isTrue();
    }

    @Test
    void oneShortWaitEndsIt() {
        standingQueue();
        after(Duration.ofMillis(5), SHORT_WAIT);
        assertThat(delay.standing()).isFalse();
        for (int i = 0; i < 2 * StandingDelay.MIN_WAITS; i++) {
            after(Duration.ofMillis(1), LONG_WAIT);
        }
        assertThat(delay.standing()).as("a whole interval is needed again").isFalse();
    }

    @Test
    void aBurstShorterThanAnIntervalIsAbsorbed() {
        after(Duration.ofMillis(10), LONG_WAIT);
        after(Duration.ofMillis(60), SHORT_WAIT);
        after(Duration.ofMillis(60), LONG_WAIT);
        assertThat(delay.standing()).isFalse();
    }

    @Test
    void withNoWaitSeenForASecondItEndsSoNewWorkIsNeverRefusedForever() {
        standingQueue();
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(delay.standing()).as("a gap between slow statements").isTrue();
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(delay.standing()).isFalse();
        after(Duration.ofMillis(10), LONG_WAIT);
        assertThat(delay.standing()).as("the count starts again").isFalse();
    }

    @Test
    void theTargetMustBePositive() {
        assertThatThrownBy(() -> new StandingDelay(Duration.ZERO, nanos::get))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private void standingQueue() {
        for (int i = 0; i < 50; i++) {
            after(Duration.ofMillis(3), LONG_WAIT);
        }
        assertThat(delay.standing()).isTrue();
    }

    private void after(Duration elapsed, long waitNanos) {
        nanos.addAndGet(elapsed.toNanos());
        delay.waited(waitNanos);
    }
}
