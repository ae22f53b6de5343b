package org.countersign.push;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import org.countersign.push.db.ConnectionWaits;

/**
 * The Vert.x a service process runs on. It prefers Netty's native epoll transport (bundled for Linux x86-64) over
 * Java NIO: every request, push frame and PostgreSQL statement is a socket write, and at a steady 150 approvals/s
 * the node spent about a fifth less CPU per approval on epoll (docs/performance.md). Where the platform has no
 * native transport, Vert.x falls back to NIO and the service runs the same.
 *
 * <p>It also reports how long each request for a database connection waited ({@link ConnectionWaits}), the signal
 * by which a node sheds new work while its database queue stands (see {@code AdmissionControl}).
 */
public final class ServiceVertx {
    private ServiceVertx() {
    }

    public static Vertx create() {
        return Vertx.builder()
                .with(new VertxOptions().setPreferNativeTransport(true)
                        .setMetricsOptions(new MetricsOptions().setEnabled(true)))
                .withMetrics(new ConnectionWaits().factory())
                .build();
    }

    /** The transport in use, for the start-up banner: {@code epoll (native)} or {@code nio}. */
    public static String transport(Vertx vertx) {
        return vertx.isNativeTransportEnabled() ? "epoll (native)" : "nio";
    }
}
