package org.countersign.push.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ChannelMessage;
import org.countersign.push.channel.ChannelRegistry;
import org.countersign.push.signin.PushDelivery;
import org.countersign.push.signin.SignInWaiters;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's link to the other nodes on the same PostgreSQL (ARCHITECTURE.md §6). What this node cannot do itself
 * it announces after the commit, batched ({@link ClusterNotifier}): deliver to a channel it does not hold, wake
 * waiters of a decided sign-in, close a removed device's channel wherever it is. One dedicated connection LISTENs
 * for what the other nodes announce ({@link ClusterReceiver}); it reconnects and LISTENs again after a PostgreSQL
 * restart, and then catches up on what it may have missed. NOTIFY is not durable, and nothing depends on it: a channel
 * login re-sends pending requests, a waiter re-reads its sign-in when its wait ends, and a node that listens again
 * re-sends to the channels it holds, so a missed notification costs time, never a result.
 */
public final class ClusterBus implements PushDelivery {
    /** The NOTIFY channel every node LISTENs to (per database, so services on other databases never mix). */
    public static final String CHANNEL = "countersign_cluster";
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBus.class);
    /** What the LISTEN connection calls itself in {@code pg_stat_activity}, followed by the node id. */
    public static final String LISTEN_APPLICATION_NAME = "countersign-listen";
    private static final long MAX_RECONNECT_DELAY_MILLIS = 5_000;

    private final Vertx vertx;
    private final String nodeId;
    private final ClusterNotifier notifier;
    private final ClusterReceiver receiver;
    /** Whether this node takes part at all: a node that never listens announces nothing. */
    private volatile boolean joined;
    private volatile PgSubscriber subscriber;
    private final AtomicLong catchUps = new AtomicLong();

    private ClusterBus(Vertx vertx, Pool pool, ChannelRegistry channels, SignInWaiters waiters, SignInStore signIns,
                       UserStore users, DeviceStore devices, Clock clock, SecureRandom random) {
        this.vertx = Objects.requireNonNull(vertx);
        byte[] id = new byte[8];
        random.nextBytes(id);
        this.nodeId = HexFormat.of().formatHex(id);
        this.notifier = new ClusterNotifier(vertx, pool, CHANNEL, nodeId);
        this.receiver = new ClusterReceiver(nodeId, pool, channels, waiters, signIns, users, devices, clock);
    }

    /**
     * A bus for this node, hooked in: messages for channels {@code channels} does not hold and every wake-up of
     * {@code waiters} are announced to the other nodes once {@link #listen} was called.
     */
    public static ClusterBus attach(Vertx vertx, Pool pool, ChannelRegistry channels, SignInWaiters waiters,
                                    SignInStore signIns, UserStore users, DeviceStore devices, Clock clock,
                                    SecureRandom random) {
        ClusterBus bus = new ClusterBus(vertx, pool, channels, waiters, signIns, users, devices, clock, random);
        channels.forwardMissesTo(bus);
        waiters.announceWakesTo(bus::signInDecided);
        return bus;
    }

    /** How many times this node listened (at start and after each reconnect) and caught up afterwards. */
    public long catchUps() {
        return catchUps.get();
    }

    /** This node's random id, the header of its notifications. */
    public String nodeId() {
        return nodeId;
    }

    /**
     * Joins the cluster: opens the LISTEN connection and starts announcing; completes once it listens and has caught
     * up. After a lost connection it reconnects, backing off up to {@value #MAX_RECONNECT_DELAY_MILLIS} ms, and
     * listens again; each time it listens it catches up on what it may have missed ({@link ClusterReceiver#catchUp}).
     * The connection is named {@code countersign-listen <nodeId>} in {@code pg_stat_activity}.
     */
    public Future<Void> listen(PgConnectOptions options) {
        joined = true;
        PgSubscriber next = PgSubscriber.subscriber(vertx, new PgConnectOptions(options)
                        .addProperty("application_name", LISTEN_APPLICATION_NAME + " " + nodeId))
                .reconnectPolicy(ClusterBus::reconnectDelay);
        Promise<Void> caughtUpOnce = Promise.promise();
        next.channel(CHANNEL)
                .subscribeHandler(listening -> receiver.catchUp().onComplete(done -> {
                    catchUps.incrementAndGet();
                    caughtUpOnce.tryComplete();
                }))
                .handler(receiver::onPayload);
        next.closeHandler(v -> LOG.info("Stopped listening to the other nodes"));
        subscriber = next;
        return next.connect().recover(failure -> next.close()
                        .transform(ignored -> Future.failedFuture(failure)))
                .compose(connected -> caughtUpOnce.future());
    }

    /** Whether this node has a LISTEN connection (open, or reconnecting after a loss). */
    public boolean isListening() {
        return subscriber != null;
    }

    /** Closes the LISTEN connection; this node keeps announcing but hears nothing (as when NOTIFYs are missed). */
    public Future<Void> stopListening() {
        PgSubscriber current = subscriber;
        subscriber = null;
        return current == null ? Future.succeededFuture() : current.close();
    }

    /** Stops listening and announcing. */
    public Future<Void> close() {
        joined = false;
        notifier.close();
        return stopListening();
    }

    /**
     * Announces a message for a device whose channel is not on this node; always answers false (nobody here
     * delivered it). An {@code approval.request} travels as ids and is re-read by the receiving node.
     */
    @Override
    public boolean send(UUID deviceId, ChannelMessage message) {
        if (joined) {
            notifier.announce(message instanceof ApprovalRequest request
                    ? new ClusterMessage.Deliver(UUID.fromString(request.signInId()), deviceId)
                    : new ClusterMessage.Frame(deviceId, message.encode()));
        }
        return false;
    }

    /** Announces that the device was removed: whichever node holds its channel closes it. */
    @Override
    public void disconnect(UUID deviceId, String reason) {
        if (joined) {
            notifier.announce(new ClusterMessage.DeviceRemoved(deviceId));
        }
    }

    /** Announces that the sign-in was decided (or may have been): waiters on every node re-read it. */
    public void signInDecided(UUID signInId) {
        if (joined) {
            notifier.announce(new ClusterMessage.Decided(signInId));
        }
    }

    /** 100 ms, doubling up to 5 s, for ever: a node must not stay deaf after PostgreSQL comes back. */
    static long reconnectDelay(int attempt) {
        if (attempt == 0) {
            LOG.warn("Lost the connection that listens to the other nodes; reconnecting");
        }
        return Math.min(MAX_RECONNECT_DELAY_MILLIS, 100L << Math.min(attempt, 6));
    }
}
