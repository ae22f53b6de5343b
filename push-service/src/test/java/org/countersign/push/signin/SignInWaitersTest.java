package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A long poll must answer from its own connection's event loop (the HTTP server runs in strict thread mode), while
 * its wake-up comes from another request's or the cluster bus's event loop.
 */
class SignInWaitersTest {
    static Vertx vertx;
    static final List<Context> loops = new CopyOnWriteArrayList<>();

    /** Does nothing but give the test one event-loop context per instance. */
    static final class Loop extends VerticleBase {
        @Override
        public Future<?> start() {
            loops.add(context);
            return Future.succeededFuture();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        vertx.deployVerticle(Loop::new, new DeploymentOptions().setInstances(2))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aWaiterWokenFromAnotherEventLoopGoesOnOnTheOneThatRegisteredIt() throws Exception {
        SignInWaiters waiters = new SignInWaiters(vertx);
        UUID signInId = UUID.randomUUID();
        CompletableFuture<Thread> registeredOn = new CompletableFuture<>();
        CompletableFuture<Thread> wokenOn = new CompletableFuture<>();
        loops.get(0).runOnContext(v -> {
            waiters.await(signInId, Duration.ofSeconds(30)).onComplete(done -> wokenOn.complete(Thread.currentThread()));
            registeredOn.complete(Thread.currentThread());
        });
        Thread waiter = registeredOn.get(5, TimeUnit.SECONDS);
        CompletableFuture<Thread> wakerOn = new CompletableFuture<>();
        loops.get(1).runOnContext(v -> {
            wakerOn.complete(Thread.currentThread());
            waiters.wake(signInId);
        });

        assertThat(wakerOn.get(5, TimeUnit.SECONDS)).isNotSameAs(waiter);
        assertThat(wokenOn.get(5, TimeUnit.SECONDS)).isSameAs(waiter);
    }
}
