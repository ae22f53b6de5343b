package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.countersign.push.domain.SignIn;
import org.countersign.protocol.SignInKind;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The long-poll waiters of one node: what wakes them, whether the wake-up brings the decided row, and where the
 * waiter goes on (a long poll must answer from its own connection's event loop: the HTTP server runs in strict
 * thread mode, while the wake-up comes from another request's or the cluster bus's event loop).
 */
class SignInWaitersTest {
    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    private final SignInWaiters waiters = new SignInWaiters(vertx);

    /** Does nothing but give the test one event-loop context per instance. */
    static final class Loop extends VerticleBase {
        private final List<Context> loops;

        Loop(List<Context> loops) {
            this.loops = loops;
        }

        @Override
        public Future<?> start() {
            loops.add(context);
            return Future.succeededFuture();
        }
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aDecisionOfThisNodeHandsEveryWaiterTheCommittedRow() throws Exception {
        SignIn decided = approved(UUID.randomUUID());
        SignInWaiters.Wait first = waiters.register(decided.id(), Duration.ofSeconds(30));
        SignInWaiters.Wait second = waiters.register(decided.id(), Duration.ofSeconds(30));

        waiters.wake(decided);

        assertThat(await(first.woken())).contains(decided);
        assertThat(await(second.woken())).contains(decided);
        assertThat(waiters.waiterCount()).as("woken waiters are forgotten").isZero();
    }

    @Test
    void anyOtherWakeUpBringsNoRowSoTheWaiterReadsIt() throws Exception {
        UUID id = UUID.randomUUID();
        SignInWaiters.Wait byId = waiters.register(id, Duration.ofSeconds(30));
        waiters.wake(id);
        assertThat(await(byId.woken())).isEmpty();

        SignInWaiters.Wait fromAnotherNode = waiters.register(id, Duration.ofSeconds(30));
        waiters.wakeHere(id);
        assertThat(await(fromAnotherNode.woken())).isEmpty();

        SignInWaiters.Wait afterMissedWakeUps = waiters.register(id, Duration.ofSeconds(30));
        waiters.wakeAllHere();
        assertThat(await(afterMissedWakeUps.woken())).isEmpty();
    }

    @Test
    void aDecisionIsAnnouncedToTheOtherNodesByIdOnly() {
        List<UUID> announced = new ArrayList<>();
        waiters.announceWakesTo(announced::add);
        SignIn decided = approved(UUID.randomUUID());

        waiters.wake(decided);
        waiters.wake(decided.id());

        assertThat(announced).containsExactly(decided.id(), decided.id());
    }

    @Test
    void aWaitEndsWithoutARowAtItsTimeoutOrAtAnEarlierEnd() throws Exception {
        UUID id = UUID.randomUUID();
        SignInWaiters.Wait timedOut = waiters.register(id, Duration.ofMillis(20));
        assertThat(await(timedOut.woken())).isEmpty();

        SignInWaiters.Wait shortened = waiters.register(id, Duration.ofSeconds(60));
        shortened.endWithin(Duration.ofMillis(20));
        assertThat(await(shortened.woken())).as("ended at the sign-in's expiry, not after a minute").isEmpty();

        SignInWaiters.Wait cancelled = waiters.register(id, Duration.ofSeconds(60));
        cancelled.cancel();
        assertThat(await(cancelled.woken())).isEmpty();
        assertThat(waiters.waiterCount()).isZero();
    }

    @Test
    void aWakeUpBeforeAnyoneWaitsIsNotKeptForLaterWaiters() throws Exception {
        SignIn decided = approved(UUID.randomUUID());
        waiters.wake(decided);

        SignInWaiters.Wait late = waiters.register(decided.id(), Duration.ofMillis(50));

        assertThat(await(late.woken())).as("registered after the wake-up: only its timeout ends it").isEmpty();
    }

    @Test
    void aWaiterWokenFromAnotherEventLoopGoesOnOnTheOneThatRegisteredIt() throws Exception {
        List<Context> loops = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> new Loop(loops), new DeploymentOptions().setInstances(2))
                .await(10, TimeUnit.SECONDS);
        SignIn decided = approved(UUID.randomUUID());
        CompletableFuture<Thread> registeredOn = new CompletableFuture<>();
        CompletableFuture<Thread> wokenOn = new CompletableFuture<>();
        loops.get(0).runOnContext(v -> {
            waiters.register(decided.id(), Duration.ofSeconds(30)).woken()
                    .onComplete(done -> wokenOn.complete(Thread.currentThread()));
            registeredOn.complete(Thread.currentThread());
        });
        Thread waiter = registeredOn.get(5, TimeUnit.SECONDS);
        CompletableFuture<Thread> wakerOn = new CompletableFuture<>();
        loops.get(1).runOnContext(v -> {
            wakerOn.complete(Thread.currentThread());
            waiters.wake(decided);
        });

        assertThat(wakerOn.get(5, TimeUnit.SECONDS)).isNotSameAs(waiter);
        assertThat(wokenOn.get(5, TimeUnit.SECONDS)).isSameAs(waiter);
    }

    private static Optional<SignIn> await(Future<Optional<SignIn>> future) throws Exception {
        return future.await(10, TimeUnit.SECONDS);
    }

    private static SignIn approved(UUID id) {
        Instant now = Instant.now();
        return new SignIn(id, UUID.randomUUID(), SignInKind.SIGN_IN, SignInState.APPROVED, Optional.empty(),
                Optional.of(SignInMethod.PUSH), Optional.of("42"), "App", Optional.of("198.51.100.7"), Optional.empty(),
                Optional.empty(), Optional.empty(), false, false, now, now.plusSeconds(60));
    }
}
