package org.countersign.push.rp;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.domain.RpClient;
import org.countersign.push.store.RpClientStore;

/**
 * Admin side of relying parties: create a client (its secret is shown once and stored as SHA-256), list them,
 * revoke one (at once on this node; see {@link ClientAuthenticator} for other nodes). Every change is audited with
 * the admin as actor.
 */
public final class RpClients {
    public static final int DEFAULT_RATE_PER_SECOND = 50;
    public static final int MAX_RATE_PER_SECOND = 100_000;
    /** 256 bits: the secret cannot be guessed, which is what makes a fast hash safe. */
    static final int SECRET_BYTES = 32;
    static final int CLIENT_ID_BYTES = 12;

    private final Pool pool;
    private final RpClientStore store;
    private final ClientAuthenticator authenticator;
    private final RateLimits rateLimits;
    private final Tokens tokens;
    private final AuditLog audit;
    private final Clock clock;

    public RpClients(Pool pool, RpClientStore store, ClientAuthenticator authenticator, RateLimits rateLimits,
                     Tokens tokens, AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.store = Objects.requireNonNull(store);
        this.authenticator = Objects.requireNonNull(authenticator);
        this.rateLimits = Objects.requireNonNull(rateLimits);
        this.tokens = Objects.requireNonNull(tokens);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    public Future<NewRpClient> create(String admin, String name, int ratePerSecond) {
        RpClient client = new RpClient(UUID.randomUUID(), "rp_" + tokens.newToken(CLIENT_ID_BYTES), name,
                ratePerSecond, clock.instant(), admin, Optional.empty(), Optional.empty());
        String secret = tokens.newToken(SECRET_BYTES);
        return pool.withTransaction(sql -> store.activeNameTaken(sql, name).compose(taken -> taken
                        ? Future.failedFuture(ApiError.conflict("name_taken",
                                "A client named '" + name + "' exists already: choose another name or revoke it."))
                        : store.insert(sql, client, Tokens.hash(secret))
                                .compose(ignored -> audit.record(sql, "rp_client.created", admin, name, "success",
                                        Map.of("clientId", client.clientId(), "ratePerSecond", ratePerSecond)))))
                .map(ignored -> new NewRpClient(client, secret));
    }

    public Future<List<RpClient>> list() {
        return store.list(pool);
    }

    public Future<RpClient> revoke(String admin, String clientId) {
        return pool.withTransaction(sql -> store.revoke(sql, clientId, admin, clock.instant()).compose(revoked ->
                        revoked.isEmpty()
                                ? Future.failedFuture(ApiError.notFound("That client"))
                                : audit.record(sql, "rp_client.revoked", admin, revoked.get().name(), "success",
                                        Map.of("clientId", clientId)).map(revoked.get())))
                .andThen(done -> {
                    if (done.succeeded()) {
                        authenticator.evict(clientId);
                        rateLimits.forget(done.result().id());
                    }
                });
    }
}
