package org.countersign.push.cluster;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.ProtocolException;
import org.countersign.push.channel.ChannelRegistry;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInState;
import org.countersign.push.domain.User;
import org.countersign.push.signin.SignInService;
import org.countersign.push.signin.SignInWaiters;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does here what another node announced, for the channels and waiters of this node only (it never announces in
 * turn). Every node hears every notification, so the common case, a device this node does not hold, costs a map
 * look-up and no database read.
 */
final class ClusterReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterReceiver.class);
    private static final int CATCH_UP_BATCH = 1_000;

    private final String nodeId;
    private final Pool pool;
    private final ChannelRegistry channels;
    private final SignInWaiters waiters;
    private final SignInStore signIns;
    private final UserStore users;
    private final DeviceStore devices;
    private final Clock clock;

    ClusterReceiver(String nodeId, Pool pool, ChannelRegistry channels, SignInWaiters waiters, SignInStore signIns,
                    UserStore users, DeviceStore devices, Clock clock) {
        this.nodeId = Objects.requireNonNull(nodeId);
        this.pool = Objects.requireNonNull(pool);
        this.channels = Objects.requireNonNull(channels);
        this.waiters = Objects.requireNonNull(waiters);
        this.signIns = Objects.requireNonNull(signIns);
        this.users = Objects.requireNonNull(users);
        this.devices = Objects.requireNonNull(devices);
        this.clock = Objects.requireNonNull(clock);
    }

    void onPayload(String payload) {
        ClusterPayloads.Batch batch;
        try {
            batch = ClusterPayloads.unpack(payload);
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a notification on the cluster channel that is not a Countersign message");
            return;
        }
        if (batch.nodeId().equals(nodeId)) {
            return; // this node did its own part before announcing
        }
        Map<UUID, List<UUID>> deliveries = new LinkedHashMap<>();
        for (ClusterMessage message : batch.messages()) {
            if (message instanceof ClusterMessage.Decided decided) {
                waiters.wakeHere(decided.signInId());
            } else if (message instanceof ClusterMessage.DeviceRemoved removed) {
                channels.disconnectHere(removed.deviceId(), "device removed");
            } else if (message instanceof ClusterMessage.Deliver deliver && channels.isConnected(deliver.deviceId())) {
                deliveries.computeIfAbsent(deliver.signInId(), id -> new ArrayList<>()).add(deliver.deviceId());
            } else if (message instanceof ClusterMessage.Frame frame && channels.isConnected(frame.deviceId())) {
                sendFrame(frame);
            }
        }
        deliveries.forEach(this::deliver);
    }

    /**
     * Makes up for whatever this node may have missed while it was not listening: its waiters re-read their
     * sign-ins, channels of devices removed meanwhile close, and every held channel gets the requests it may still
     * answer (apps ignore a request they already show). One pair of statements per {@value #CATCH_UP_BATCH} channels.
     */
    Future<Void> catchUp() {
        waiters.wakeAllHere();
        List<UUID> held = channels.heldDeviceIds();
        Future<Void> done = Future.succeededFuture();
        for (int from = 0; from < held.size(); from += CATCH_UP_BATCH) {
            List<UUID> batch = held.subList(from, Math.min(held.size(), from + CATCH_UP_BATCH));
            done = done.compose(v -> catchUp(batch));
        }
        return done.onFailure(e -> LOG.warn("Could not catch up on what this node missed: {}", e.getMessage()));
    }

    private Future<Void> catchUp(List<UUID> held) {
        return devices.goneAmong(pool, held)
                .map(gone -> {
                    gone.forEach(device -> channels.disconnectHere(device, "device removed"));
                    return null;
                })
                .compose(v -> signIns.pendingForDevices(pool, held, clock.instant()))
                .map(deliverable -> {
                    deliverable.forEach(d -> channels.sendHere(d.deviceId(),
                            SignInService.approvalRequest(d.signIn(), d.username())));
                    return null;
                });
    }

    private void sendFrame(ClusterMessage.Frame frame) {
        try {
            channels.sendHere(frame.deviceId(), ChannelMessage.parse(frame.json()));
        } catch (ProtocolException e) {
            LOG.warn("Ignored a cluster frame that is not a protocol message");
        }
    }

    /** As {@link SignInService} delivers a new request: re-read, and only while it is still pending. */
    private void deliver(UUID signInId, List<UUID> devices) {
        signIns.findById(pool, signInId).compose(found -> {
            if (found.isEmpty() || found.get().effectiveState(clock.instant()) != SignInState.PENDING) {
                return Future.succeededFuture();
            }
            SignIn signIn = found.get();
            return users.findById(pool, signIn.userId()).map(user -> {
                String username = user.map(User::username).orElse("");
                devices.forEach(device -> channels.sendHere(device,
                        SignInService.approvalRequest(signIn, username)));
                return null;
            });
        }).onFailure(e -> LOG.warn("Could not deliver a sign-in announced by another node: {}", e.getMessage()));
    }
}
