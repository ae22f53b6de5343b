package org.countersign.e2e;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The smallest load balancer: one TCP address in front of several nodes. Each new connection goes to the first
 * backend, in the order given, that accepts it, and the bytes flow both ways untouched (HTTP, WebSocket upgrades,
 * everything). When either side closes, so does the other, as a real balancer drops a dead node's connections.
 */
final class FirstAcceptingProxy implements AutoCloseable {
    private final Vertx vertx;
    private final NetServer server;
    private final NetClient client;
    private final List<Integer> backends = new CopyOnWriteArrayList<>();
    /** Live connections: the client's side, by the backend port it was given. */
    private final Map<NetSocket, Integer> connections = new ConcurrentHashMap<>();

    private FirstAcceptingProxy(Vertx vertx) {
        this.vertx = vertx;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
        this.server = vertx.createNetServer().connectHandler(this::forward);
    }

    /** Listens on a free loopback port; add backends before the first connection. */
    static FirstAcceptingProxy start() throws Exception {
        FirstAcceptingProxy proxy = new FirstAcceptingProxy(Vertx.vertx());
        proxy.server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        return proxy;
    }

    int port() {
        return server.actualPort();
    }

    /** The loopback ports of the nodes, in the order connections try them. */
    void backends(int... ports) {
        backends.clear();
        for (int port : ports) {
            backends.add(port);
        }
    }

    private void forward(NetSocket front) {
        front.pause();
        connectToFirst(0).onComplete(connected -> {
            if (connected.failed()) {
                front.close();
                return;
            }
            NetSocket back = connected.result();
            connections.put(front, back.remoteAddress().port());
            front.closeHandler(v -> {
                connections.remove(front);
                back.close();
            });
            back.closeHandler(v -> front.close());
            front.pipeTo(back);
            back.pipeTo(front);
        });
    }

    /**
     * Drops every connection to the backend on {@code port} at the TCP level, as when its machine dies: clients
     * see the connection end without a WebSocket close frame (1006).
     */
    void sever(int port) throws Exception {
        for (Map.Entry<NetSocket, Integer> connection : connections.entrySet()) {
            if (connection.getValue() == port) {
                connection.getKey().close().await(5, TimeUnit.SECONDS);
            }
        }
    }

    private Future<NetSocket> connectToFirst(int index) {
        if (index >= backends.size()) {
            return Future.failedFuture("no backend accepts connections");
        }
        return client.connect(backends.get(index), "127.0.0.1").recover(refused -> connectToFirst(index + 1));
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
