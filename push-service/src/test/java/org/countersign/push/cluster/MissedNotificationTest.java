package org.countersign.push.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.Decision;
import org.countersign.push.channel.CloseCodes;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NOTIFY is not durable: a node that hears nothing (its LISTEN connection lost, as in a PostgreSQL restart) loses
 * no result. The device gets the request when its channel logs in again, and a waiter reads the decision when its
 * wait ends. A node that listens again catches up at once: the channels it held all along get what was announced
 * meanwhile, and those of devices removed meanwhile close.
 */
@Timeout(60)
class MissedNotificationTest {
    private static final int SHORT_WAIT_SECONDS = 2;

    @RegisterExtension
    static final ServiceFixture nodeA = ServiceFixture.freshInstallation().withSecondNode().withAdminSignedIn();
    static final ServiceFixture nodeB = nodeA.secondNode();

    @AfterEach
    void listenAgain() {
        if (!nodeA.service().server.cluster().isListening()) {
            TestService.await(nodeA.service().server.cluster().listen(nodeA.service().database.connectOptions()));
        }
    }

    @Test
    void aDeafNodeStillDeliversOnChannelLoginAndItsWaiterReadsTheResultWhenItsWaitEnds() throws Exception {
        TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "fay");
        TestService.await(nodeA.service().server.cluster().stopListening());

        Api.Response started = nodeB.flows().signIn("fay");
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        String id = started.string("signInId");
        assertThat(phone.quietFor(Duration.ofMillis(500))).as("A did not hear B's announcement").isTrue();

        // the app reconnects (as after any drop): the login re-sends what is pending
        try (TestDevice again = phone.reconnected().connect()) {
            assertThat(again.next(ApprovalRequest.class).signInId()).isEqualTo(id);
            CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(
                    () -> nodeA.api().get("/api/v1/sign-ins/" + id + "?waitSeconds=" + SHORT_WAIT_SECONDS));

            // answered through B: A is not told, so its waiter learns the result only by re-reading at the end
            Api.Response answer = nodeB.api().post("/api/v1/sign-ins/" + id + "/response",
                    again.answer(id, Decision.APPROVE, started.string("number")).toJson());
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);

            Api.Response result = waiting.get(SHORT_WAIT_SECONDS + 10, TimeUnit.SECONDS);
            assertThat(result.string("state")).as(result.toString()).isEqualTo("approved");
            assertThat(result.string("sessionToken")).isNotBlank();
        } finally {
            phone.close();
        }
    }

    @Test
    void aNodeThatListensAgainSendsItsChannelsWhatItMissedAndClosesThoseOfRemovedDevices() throws Exception {
        try (TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "gil");
             TestDevice lost = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "hal")) {
            TestService.await(nodeA.service().server.cluster().stopListening());

            Api.Response started = nodeB.flows().signIn("gil");
            assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
            Api.Response removed = nodeB.api().delete("/api/v1/admin/devices/" + lost.deviceId(), nodeA.admin());
            assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
            assertThat(phone.quietFor(Duration.ofMillis(500))).as("A did not hear B's announcement").isTrue();
            assertThat(lost.isClosed()).as("A did not hear of the removal").isFalse();

            TestService.await(nodeA.service().server.cluster().listen(nodeA.service().database.connectOptions()));

            assertThat(phone.next(ApprovalRequest.class).signInId()).isEqualTo(started.string("signInId"));
            assertThat(lost.awaitClose(Duration.ofSeconds(5))).isEqualTo(CloseCodes.DEVICE_REMOVED);
        }
    }

    @Test
    void aCutListenConnectionComesBackByItselfAndCatchesUp() throws Exception {
        long before = nodeA.service().server.cluster().catchUps();
        String name = ClusterBus.LISTEN_APPLICATION_NAME + " " + nodeA.service().server.cluster().nodeId();
        int firstPid = listenerPid(name);

        nodeB.service().sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = '" + name + "'");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (nodeA.service().server.cluster().catchUps() == before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(nodeA.service().server.cluster().catchUps()).as("caught up after reconnecting")
                .isGreaterThan(before);
        assertThat(listenerPid(name)).as("a new LISTEN connection").isNotEqualTo(firstPid);
    }

    private static int listenerPid(String applicationName) {
        var rows = nodeB.service().sql("SELECT pid FROM pg_stat_activity "
                + "WHERE application_name = '" + applicationName + "'");
        assertThat(rows.size()).as("one LISTEN connection named " + applicationName).isEqualTo(1);
        return rows.iterator().next().getInteger("pid");
    }
}
