package org.countersign.push.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/**
 * Builds the service's one PostgreSQL connection pool.
 *
 * <p>The Vert.x defaults (4 connections, an unbounded wait queue, no timeouts) are replaced by explicit bounds: a
 * request that cannot get a connection within {@value #CONNECTION_TIMEOUT_SECONDS} s, or finds
 * {@value #MAX_WAIT_QUEUE_SIZE} requests already waiting, fails at once instead of piling up. While PostgreSQL is
 * down, connecting fails within {@value #CONNECT_TIMEOUT_MILLIS} ms and the request is answered 503; connections
 * closed by the outage leave the pool, and new ones are opened when the server is back.
 */
public final class DatabasePool {

    /** Requests that may wait for a connection before new ones fail. */
    public static final int MAX_WAIT_QUEUE_SIZE = 1000;
    /** How long a request waits for a pooled connection. */
    public static final int CONNECTION_TIMEOUT_SECONDS = 3;
    /** How long opening a TCP connection to the server may take. */
    public static final int CONNECT_TIMEOUT_MILLIS = 3_000;
    /** The server cancels a statement that runs longer (PostgreSQL's {@code statement_timeout}). */
    public static final int STATEMENT_TIMEOUT_MILLIS = 10_000;
    /** Idle connections are closed after this long. */
    public static final int IDLE_TIMEOUT_SECONDS = 300;
    /** Commands sent on one connection before waiting for answers. */
    public static final int PIPELINING_LIMIT = 256;

    private DatabasePool() {
    }

    /**
     * A pool of at most {@code maxSize} connections to the database of {@code settings}, with prepared statements
     * cached per connection. Close it when the service stops ({@code pool.close()}).
     *
     * @throws IllegalArgumentException when {@code maxSize} is below 1
     */
    public static Pool create(Vertx vertx, DatabaseSettings settings, int maxSize) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, not " + maxSize);
        }
        PoolOptions poolOptions = new PoolOptions()
                .setName("countersign-postgres")
                .setMaxSize(maxSize)
                .setMaxWaitQueueSize(MAX_WAIT_QUEUE_SIZE)
                .setConnectionTimeout(CONNECTION_TIMEOUT_SECONDS)
                .setConnectionTimeoutUnit(TimeUnit.SECONDS)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                // spread the connections over the event loops: without it they all share the one event loop that
                // created the pool, which then encodes, decodes and answers every query of the node alone
                .setEventLoopSize(Math.max(1, Runtime.getRuntime().availableProcessors()));
        PgConnectOptions connectOptions = settings.connectOptions()
                .setCachePreparedStatements(true)
                .setPreparedStatementCacheSqlFilter(sql -> true)
                .addProperty("statement_timeout", Integer.toString(STATEMENT_TIMEOUT_MILLIS))
                .setPipeliningLimit(PIPELINING_LIMIT);
        return PgBuilder.pool()
                .with(poolOptions)
                .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS))
                .connectingTo(connectOptions)
                .using(vertx)
                .build();
    }
}
