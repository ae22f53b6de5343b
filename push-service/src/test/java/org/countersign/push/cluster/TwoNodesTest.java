package org.countersign.push.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Ready;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ChannelProbe;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes of one service on one PostgreSQL (ARCHITECTURE.md §6), each with its own Vert.x, port and channels:
 * whichever node a request reaches, the device is asked through the node that holds its channel, the waiter wakes
 * on whichever node it waits, and a removal closes the channel wherever it is.
 */
@Timeout(60)
class TwoNodesTest {
    /** Far longer than any wake-up takes: a long poll that returns within half of it was woken, not timed out. */
    private static final int WAIT_SECONDS = 30;

    @RegisterExtension
    static final ServiceFixture nodeA = ServiceFixture.freshInstallation().withSecondNode().withAdminSignedIn();
    static final ServiceFixture nodeB = nodeA.secondNode();

    @Test
    void theNodesAreTwoNodesOfOneService() {
        assertThat(nodeB.service().port).isNotEqualTo(nodeA.service().port);
        assertThat(nodeB.service().server.cluster().nodeId()).isNotEqualTo(nodeA.service().server.cluster().nodeId());
        // the admin signed in through A is a session that B honours: one database, one service key
        assertThat(nodeB.api().get("/api/v1/admin/users", nodeA.admin()).status()).isEqualTo(200);
    }

    @Test
    void aSignInStartedOnBReachesTheDeviceOnAAndTheAnswerOnAWakesTheWaiterOnB() throws Exception {
        try (TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "ana")) {
            Api.Response started = startSignIn(nodeB, "ana");
            String id = started.string("signInId");
            CompletableFuture<Api.Response> waiting = longPoll(nodeB, id);

            ApprovalRequest request = phone.next(ApprovalRequest.class);
            assertThat(request.signInId()).isEqualTo(id);
            assertThat(request.app()).isEqualTo("Payroll");
            assertThat(request.user()).isEqualTo("ana");
            letTheLongPollStartWaiting(waiting);
            phone.send(phone.answer(id, Decision.APPROVE, started.string("number")));
            assertThat(phone.next(ApprovalResult.class).state()).isEqualTo("approved");

            Api.Response result = waiting.get(WAIT_SECONDS / 2, TimeUnit.SECONDS);
            assertThat(result.string("state")).as(result.toString()).isEqualTo("approved");
            assertThat(result.string("sessionToken")).isNotBlank();
        }
    }

    @Test
    void aDenialOnAWakesTheWaiterOnBWithTheReason() throws Exception {
        try (TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "bob")) {
            Api.Response started = startSignIn(nodeB, "bob");
            String id = started.string("signInId");
            CompletableFuture<Api.Response> waiting = longPoll(nodeB, id);
            phone.next(ApprovalRequest.class);
            letTheLongPollStartWaiting(waiting);

            phone.send(phone.answer(id, Decision.FRAUD, null));

            Api.Response result = waiting.get(WAIT_SECONDS / 2, TimeUnit.SECONDS);
            assertThat(result.string("state")).isEqualTo("denied");
            assertThat(result.string("reason")).isEqualTo("fraud_reported");
            assertThat(result.json().containsKey("sessionToken")).isFalse();
        }
    }

    @Test
    void aTotpCodeEnteredOnBWakesTheWaiterOnA() throws Exception {
        try (TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "cy")) {
            String id = startSignIn(nodeA, "cy").string("signInId");
            CompletableFuture<Api.Response> waiting = longPoll(nodeA, id);
            letTheLongPollStartWaiting(waiting);

            String code = Totp.DEFAULT.codeAt(phone.activation().totpSecret(), nodeB.clock().instant());
            Api.Response totp = nodeB.api().post("/api/v1/sign-ins/" + id + "/totp", new JsonObject()
                    .put("code", code));
            assertThat(totp.status()).as(totp.toString()).isEqualTo(200);

            Api.Response result = waiting.get(WAIT_SECONDS / 2, TimeUnit.SECONDS);
            assertThat(result.string("state")).as(result.toString()).isEqualTo("approved");
            // B handed the session to the TOTP answer; A shows the state without a second one
            assertThat(totp.string("sessionToken")).isNotBlank();
            assertThat(result.json().containsKey("sessionToken")).isFalse();
        }
    }

    @Test
    void aDeviceRemovedThroughBLosesItsChannelOnAAtOnceAndItsLaterAnswerIsRefused() throws Exception {
        try (TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "dot")) {
            phone.close();
            try (ChannelProbe channel = ChannelProbe.open(nodeA.api(), phone.deviceId())
                    .login(phone.deviceId(), phone.signer())) {
                assertThat(ChannelMessage.parse(channel.nextText())).isInstanceOf(Ready.class);
                Api.Response started = startSignIn(nodeB, "dot");
                String id = started.string("signInId");

                Api.Response removed = nodeB.api().delete("/api/v1/admin/devices/" + phone.deviceId(), nodeA.admin());
                assertThat(removed.status()).as(removed.toString()).isEqualTo(200);

                assertThat(channel.awaitClose(Duration.ofSeconds(5))).isEqualTo(4403);
                Api.Response late = nodeA.api().post("/api/v1/sign-ins/" + id + "/response",
                        phone.answer(id, Decision.APPROVE, started.string("number")).toJson());
                assertThat(late.status()).as(late.toString()).isEqualTo(403);
                assertThat(late.error()).isEqualTo("device_removed");
                assertThat(nodeA.api().get("/api/v1/sign-ins/" + id).string("reason")).isEqualTo("device_removed");
            }
        }
    }

    @Test
    void aDeviceWithChannelsOnBothNodesLosesBothWhenRemoved() throws Exception {
        try (TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "eve");
             ChannelProbe onB = ChannelProbe.open(nodeB.api(), phone.deviceId()).login(phone.deviceId(),
                     phone.signer())) {
            assertThat(ChannelMessage.parse(onB.nextText())).isInstanceOf(Ready.class);

            Api.Response removed = nodeA.api().delete("/api/v1/admin/devices/" + phone.deviceId(), nodeA.admin());
            assertThat(removed.status()).as(removed.toString()).isEqualTo(200);

            assertThat(phone.awaitClose(Duration.ofSeconds(5))).isEqualTo(4403);
            assertThat(onB.awaitClose(Duration.ofSeconds(5))).isEqualTo(4403);
        }
    }

    @Test
    void aNodeWhoseListenConnectionWasCutListensAgainAndDeliversAgain() throws Exception {
        List<Integer> cut = listeningBackends();
        assertThat(cut).as("one LISTEN connection per node").hasSize(2);
        long caughtUpA = nodeA.service().server.cluster().catchUps();
        long caughtUpB = nodeB.service().server.cluster().catchUps();

        nodeA.service().sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ("
                + cut.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<Integer> now = listeningBackends();
        while (now.size() < 2 || now.stream().anyMatch(cut::contains)
                || nodeA.service().server.cluster().catchUps() == caughtUpA
                || nodeB.service().server.cluster().catchUps() == caughtUpB) {
            assertThat(System.nanoTime() - deadline).as("both nodes LISTEN again and caught up").isNegative();
            Thread.sleep(50);
            now = listeningBackends();
        }
        try (TestDevice phone = nodeA.flows().enforcedUserWithDevice(nodeA.admin(), "fox")) {
            String id = startSignIn(nodeB, "fox").string("signInId");
            assertThat(phone.next(ApprovalRequest.class).signInId()).isEqualTo(id);
        }
    }

    /** The server processes of the nodes' LISTEN connections on this database. */
    private static List<Integer> listeningBackends() {
        List<Integer> pids = new ArrayList<>();
        nodeA.service().sql("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN \""
                + ClusterBus.CHANNEL + "\"'").forEach(row -> pids.add(row.getInteger("pid")));
        return pids;
    }

    private static Api.Response startSignIn(ServiceFixture node, String username) {
        Api.Response started = node.flows().signIn(username);
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        return started;
    }

    private static CompletableFuture<Api.Response> longPoll(ServiceFixture node, String signInId) {
        return CompletableFuture.supplyAsync(
                () -> node.api().get("/api/v1/sign-ins/" + signInId + "?waitSeconds=" + WAIT_SECONDS));
    }

    /**
     * A long poll that reached the node after the decision would read it at once and prove nothing about wake-ups;
     * this gives it the moment it needs to be waiting (its first read and registration take milliseconds).
     */
    private static void letTheLongPollStartWaiting(CompletableFuture<Api.Response> waiting)
            throws InterruptedException {
        Thread.sleep(300);
        assertThat(waiting).as("the long poll is still waiting").isNotDone();
    }
}
