package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two answers to one sign-in at the same moment: exactly one decides (ARCHITECTURE.md §2.2 step 4, §3.4). Each
 * round releases both answers together from a latch; the loser must see {@code already_decided} and the stored
 * state must be the winner's.
 */
class ConcurrentAnswersTest {
    private static final int ROUNDS = 20;

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static TestDevice first;
    static TestDevice second;
    static ExecutorService threads;

    @BeforeAll
    static void aUserWithTwoDevicesAndTwoThreads() {
        fixture.flows().createUser(fixture.admin(), "pat", "enforced");
        first = fixture.flows().registerDevice("pat");
        second = fixture.flows().addDevice(fixture.flows().signInWithPush("pat", first));
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void closeTheDevicesAndTheThreads() {
        threads.shutdownNow();
        first.close();
        second.close();
    }

    private static Api.Response postResponse(String signInId, JsonObject body) {
        return fixture.api().post("/api/v1/sign-ins/" + signInId + "/response", body);
    }

    /** Runs both calls released by one latch and returns their results in order. */
    private static <A, B> List<Object> race(Callable<A> one, Callable<B> other) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Future<A> a = threads.submit(() -> {
            go.await();
            return one.call();
        });
        Future<B> b = threads.submit(() -> {
            go.await();
            return other.call();
        });
        go.countDown();
        return List.of(a.get(30, TimeUnit.SECONDS), b.get(30, TimeUnit.SECONDS));
    }

    private static Api.Response startSignIn() {
        Api.Response started = fixture.flows().signIn("pat");
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        return started;
    }

    @Nested
    class ApproveAgainstDeny {
        @Test
        void overHttpExactlyOneDecidesAndTheStoredStateIsTheWinners() throws Exception {
            int approvals = 0;
            for (int round = 0; round < ROUNDS; round++) {
                Api.Response started = startSignIn();
                String id = started.string("signInId");
                JsonObject approve = first.answer(id, Decision.APPROVE, started.string("number")).toJson();
                JsonObject deny = second.answer(id, Decision.DENY, null).toJson();

                List<Object> answers = race(() -> postResponse(id, approve), () -> postResponse(id, deny));
                Api.Response byFirst = (Api.Response) answers.get(0);
                Api.Response bySecond = (Api.Response) answers.get(1);

                assertThat(List.of(byFirst.status(), bySecond.status())).as("round %d: %s / %s", round, byFirst,
                        bySecond).containsExactlyInAnyOrder(200, 409);
                Api.Response loser = byFirst.status() == 409 ? byFirst : bySecond;
                assertThat(loser.error()).isEqualTo("already_decided");
                Rows.SignInRow stored = fixture.rows().signIn(id);
                if (byFirst.status() == 200) {
                    approvals++;
                    assertThat(byFirst.string("state")).isEqualTo("approved");
                    assertThat(stored.state()).isEqualTo("approved");
                } else {
                    assertThat(bySecond.string("state")).isEqualTo("denied");
                    assertThat(stored.state()).isEqualTo("denied");
                    assertThat(stored.reason()).isEqualTo("user_denied");
                }
                assertThat(fixture.api().get("/api/v1/sign-ins/" + id).string("state")).isEqualTo(stored.state());
            }
            System.out.printf("approve won %d of %d rounds%n", approvals, ROUNDS);
        }

        @Test
        void overTheChannelAndHttpExactlyOneDecides() throws Exception {
            for (int round = 0; round < ROUNDS / 2; round++) {
                Api.Response started = startSignIn();
                String id = started.string("signInId");
                JsonObject deny = second.answer(id, Decision.DENY, null).toJson();

                List<Object> answers = race(() -> {
                    first.send(first.answer(id, Decision.APPROVE, started.string("number")));
                    return Rows.answerTo(first, id);
                }, () -> postResponse(id, deny));
                ChannelMessage onChannel = (ChannelMessage) answers.get(0);
                Api.Response overHttp = (Api.Response) answers.get(1);

                Rows.SignInRow stored = fixture.rows().signIn(id);
                if (onChannel instanceof ApprovalResult result) {
                    assertThat(result.state()).isEqualTo("approved");
                    assertThat(overHttp.status()).as(overHttp.toString()).isEqualTo(409);
                    assertThat(overHttp.error()).isEqualTo("already_decided");
                    assertThat(stored.state()).isEqualTo("approved");
                } else {
                    assertThat(((ChannelError) onChannel).error()).isEqualTo("already_decided");
                    assertThat(overHttp.status()).as(overHttp.toString()).isEqualTo(200);
                    assertThat(stored.state()).isEqualTo("denied");
                }
            }
        }
    }

    @Nested
    class ApproveAgainstTotp {
        @Test
        void exactlyOneOfThePushAndTheCodeDecides() throws Exception {
            for (int round = 0; round < ROUNDS / 2; round++) {
                fixture.clock().advance(Duration.ofSeconds(30)); // a fresh time step for every round
                Api.Response started = startSignIn();
                String id = started.string("signInId");
                JsonObject approve = first.answer(id, Decision.APPROVE, started.string("number")).toJson();
                String code = Totp.DEFAULT.codeAt(second.activation().totpSecret(), fixture.clock().instant());

                List<Object> answers = race(() -> postResponse(id, approve),
                        () -> fixture.api().post("/api/v1/sign-ins/" + id + "/totp",
                                new JsonObject().put("code", code)));
                Api.Response push = (Api.Response) answers.get(0);
                Api.Response totp = (Api.Response) answers.get(1);

                assertThat(List.of(push.status(), totp.status())).as("round %d: %s / %s", round, push, totp)
                        .containsExactlyInAnyOrder(200, 409);
                Rows.SignInRow stored = fixture.rows().signIn(id);
                assertThat(stored.state()).isEqualTo("approved");
                assertThat(stored.method()).isEqualTo(push.status() == 200 ? "push" : "totp");
                if (totp.status() == 200) {
                    assertThat(totp.string("sessionToken")).isNotBlank();
                } else {
                    assertThat(totp.error()).isEqualTo("already_decided");
                }
            }
        }
    }
}
