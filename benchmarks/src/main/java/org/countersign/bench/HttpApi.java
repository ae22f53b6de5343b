package org.countersign.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * The load generator's asynchronous HTTP client for one node: a bounded connection pool (so the generator's own
 * queue is bounded and visible) shared by every event loop, never blocking.
 */
public final class HttpApi implements AutoCloseable {
    /**
     * Connections to one node. A long poll holds one while it waits, so the pool must hold every poll in flight with
     * room for the creates: with 512, an overload that slowed round trips to a second filled the pool with the polls
     * of admitted checks, and new creates queued here, in the generator, where the node could not see or shed them.
     * 4,096 plus the devices' channels stays well inside the 20,000 files one process may open here.
     */
    public static final int MAX_CONNECTIONS = 4_096;
    /** Requests that may wait for a pooled connection; beyond it the generator sheds and counts its own drops. */
    public static final int MAX_WAITING = 20_000;

    private final HttpClientAgent client;
    private final int port;

    /** An answer: status, body (JSON when there is one) and the Retry-After header. */
    public record Reply(int status, JsonObject json, String retryAfter) {
        public String string(String field) {
            return json == null ? null : json.getString(field);
        }
    }

    public HttpApi(Vertx vertx, int port) {
        this.port = port;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(MAX_WAITING));
    }

    public Future<Reply> send(HttpMethod method, String uri, String authorization, JsonObject body,
                              long timeoutMillis) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
                .setURI(uri).setIdleTimeout(timeoutMillis);
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body.toBuffer()))
                .compose(response -> response.body().map(buffer -> new Reply(response.statusCode(), json(buffer),
                        response.getHeader("Retry-After"))));
    }

    private static JsonObject json(Buffer buffer) {
        try {
            return buffer.length() == 0 ? null : buffer.toJsonObject();
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
