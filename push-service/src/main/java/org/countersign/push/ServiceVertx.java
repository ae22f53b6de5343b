package org.countersign.push;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

/**
 * The Vert.x a service process runs on. It prefers Netty's native epoll transport (bundled for Linux x86-64) over
 * Java NIO: every request, push frame and PostgreSQL statement is a socket write, and at a steady 150 approvals/s
 * the node spent about a fifth less CPU per approval on epoll (docs/performance.md). Where the platform has no
 * native transport, Vert.x falls back to NIO and the service runs the same.
 */
public final class ServiceVertx {
    private ServiceVertx() {
    }

    public static Vertx create() {
        return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    }

    /** The transport in use, for the start-up banner: {@code epoll (native)} or {@code nio}. */
    public static String transport(Vertx vertx) {
        return vertx.isNativeTransportEnabled() ? "epoll (native)" : "nio";
    }
}
