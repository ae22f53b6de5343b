package org.countersign.push.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rule that tells a standing queue from a burst, on a clock the test moves: new work is refused only after
 * even the fastest request has taken longer than the target for a whole interval, and admitted again as soon as
 * one request is fast or nothing else is being served.
 */
class StandingQueueTest {
    private static final Duration TARGET = Duration.ofMillis(50);
    private static final Duration SLOW = Duration.ofMillis(400);
    private static final Duration FAST = Duration.ofMillis(5);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final StandingQueue queue = new StandingQueue(TARGET, nanos::get);

    @Nested
    class UnderTheTarget {
        @Test
        void requestsFasterThanTheTargetNeverStopNewWork() {
            busyWith(10);
            for (int i = 0; i < 50; i++) {
                completeAfter(Duration.ofMillis(20), TARGET);
            }
            assertThat(queue.admitsNewWork()).isTrue();
        }

        @Test
        void oneRequestAtTheTargetIsNotAQueue() {
            busyWith(3);
            completeAfter(Duration.ofMillis(10), SLOW);
            completeAfter(Duration.ofMillis(100), TARGET);
            completeAfter(Duration.ofMillis(10), SLOW);
            assertThat(queue.admitsNewWork()).isTrue();
        }
    }

    @Nested
    class AStandingQueue {
        @Test
        void latenciesAboveTheTargetForAWholeIntervalStopNewWork() {
            busyWith(5);
            completeAfter(Duration.ofMillis(10), SLOW);
            completeAfter(Duration.ofMillis(40), SLOW);
            completeAfter(Duration.ofMillis(40), SLOW);
            assertThat(queue.admitsNewWork()).as("80 ms above the target").isTrue();
            completeAfter(Duration.ofMillis(20), SLOW);
            assertThat(queue.admitsNewWork()).as("100 ms above the target").isFalse();
        }

        @Test
        void newWorkStaysRefusedWhileTheQueueStands() {
            overloaded();
            for (int i = 0; i < 20; i++) {
                completeAfter(Duration.ofMillis(30), SLOW);
                assertThat(queue.admitsNewWork()).isFalse();
            }
        }

        @Test
        void aQueueOfSlowCompletionsInLockstepIsStillAQueue() {
            busyWith(10);
            for (int batch = 0; batch < 3; batch++) {
                completeAfter(Duration.ofMillis(200), SLOW);
                completeAfter(Duration.ofMillis(1), SLOW);
            }
            assertThat(queue.admitsNewWork()).as("requests waited all along, however bunched").isFalse();
        }

        @Test
        void aSilenceWhileWorkIsInFlightDoesNotEndIt() {
            overloaded();
            nanos.addAndGet(Duration.ofSeconds(5).toNanos());
            assertThat(queue.admitsNewWork()).isFalse();
        }
    }

    @Nested
    class ABurst {
        @Test
        void slowRequestsForLessThanAnIntervalAreAbsorbed() {
            busyWith(10);
            completeAfter(Duration.ofMillis(10), SLOW);
            completeAfter(Duration.ofMillis(30), SLOW);
            completeAfter(Duration.ofMillis(30), SLOW);
            completeAfter(Duration.ofMillis(30), FAST);
            completeAfter(Duration.ofMillis(30), SLOW);
            completeAfter(Duration.ofMillis(30), SLOW);
            assertThat(queue.admitsNewWork()).as("the fast request restarted the count").isTrue();
        }

        @Test
        void slowRequestsThatEachHadTheNodeToThemselvesAreNotAQueue() {
            for (int i = 0; i < 5; i++) {
                queue.arrived();
                nanos.addAndGet(SLOW.toNanos());
                queue.departed(SLOW);
            }
            busyWith(2);
            assertThat(queue.admitsNewWork()).as("the queue was empty after each").isTrue();
        }
    }

    @Nested
    class Recovery {
        @Test
        void oneFastRequestAdmitsNewWorkAgain() {
            overloaded();
            completeAfter(Duration.ofMillis(10), FAST);
            assertThat(queue.admitsNewWork()).isTrue();
        }

        @Test
        void anEmptyQueueAdmitsNewWorkAgain() {
            overloaded();
            while (queue.inService() > 0) {
                queue.departed();
            }
            queue.arrived();
            assertThat(queue.admitsNewWork()).as("the asking request is the only one served").isTrue();
        }

        @Test
        void afterRecoveryAWholeIntervalIsNeededAgain() {
            overloaded();
            completeAfter(Duration.ofMillis(10), FAST);
            completeAfter(Duration.ofMillis(10), SLOW);
            completeAfter(Duration.ofMillis(50), SLOW);
            assertThat(queue.admitsNewWork()).isTrue();
        }
    }

    @Test
    void theTargetMustBePositive() {
        assertThatThrownBy(() -> new StandingQueue(Duration.ZERO, nanos::get))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Requests the node is serving besides those the test completes (and the one that asks). */
    private void busyWith(int requests) {
        for (int i = 0; i < requests; i++) {
            queue.arrived();
        }
    }

    /** After {@code later}, one request ends; it took {@code latency}. A new one arrives, so the load stays. */
    private void completeAfter(Duration later, Duration latency) {
        nanos.addAndGet(later.toNanos());
        queue.departed(latency);
        queue.arrived();
    }

    private void overloaded() {
        busyWith(5);
        for (int i = 0; i < 6; i++) {
            completeAfter(Duration.ofMillis(25), SLOW);
        }
        assertThat(queue.admitsNewWork()).as("set-up: a standing queue").isFalse();
    }
}
