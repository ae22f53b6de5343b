package org.countersign.push.rp;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.countersign.push.ApiError;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.domain.RpClient;
import org.countersign.push.signin.LegacySignIn;
import org.countersign.push.signin.LegacySignIn.BasicCredentials;
import org.countersign.push.store.RpClientStore;
import org.countersign.push.store.RpClientStore.Credentials;

/**
 * Authenticates a relying party from {@code Authorization: Basic base64(clientId:clientSecret)}: the SHA-256 of
 * the presented secret is compared in constant time with the stored one. A secret of 256 random bits cannot be
 * guessed, so a fast hash is right here (Argon2 would cap the API near 20 checks per second per core).
 *
 * <p>Clients verified from the database are cached on this node for {@link #CACHE_TTL}: a revocation made on this
 * node takes effect at once (it evicts the entry), one made on another node within {@link #CACHE_TTL}. The cache
 * holds the secret's hash, never the secret. Reads of one client are shared while they run, and
 * {@code last_used_at} is written at most once a minute per client.
 */
public final class ClientAuthenticator {
    public static final Duration CACHE_TTL = Duration.ofSeconds(1);
    static final int MAX_CACHED = 10_000;
    private static final String INVALID = "The client id or secret is not valid, or the client was revoked.";

    private final Pool pool;
    private final RpClientStore store;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Future<Optional<Cached>>> loading = new ConcurrentHashMap<>();
    /** Bumped by every eviction: a load that overlapped one is not cached, so it cannot undo a revocation. */
    private final AtomicLong evictions = new AtomicLong();

    /** A verified client; {@code used} is set by the first matching secret, which records the use. */
    private record Cached(Credentials credentials, Instant loadedAt, AtomicBoolean used) {
    }

    public ClientAuthenticator(Pool pool, RpClientStore store, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The active client named by the header, or a failed future with 401 {@code invalid_client}. */
    public Future<RpClient> authenticate(String authorization) {
        // the same strict parser as legacy sign-in: user name = client id, password = secret
        Optional<BasicCredentials> basic = LegacySignIn.basic(authorization);
        if (basic.isEmpty()) {
            return Future.failedFuture(invalid("Send Authorization: Basic base64(clientId:clientSecret)."));
        }
        String clientId = basic.get().username();
        byte[] presented = Tokens.hash(basic.get().password());
        Instant now = clock.instant();
        Cached cached = cache.get(clientId);
        if (cached != null && now.isBefore(cached.loadedAt().plus(CACHE_TTL)) && !now.isBefore(cached.loadedAt())) {
            return matches(cached.credentials(), presented) ? used(cached, now)
                    : Future.failedFuture(invalid(INVALID));
        }
        return load(clientId, now).compose(found -> found.isPresent() && matches(found.get().credentials(), presented)
                ? used(found.get(), now) : Future.failedFuture(invalid(INVALID)));
    }

    /** Only a matching secret counts as a use: recorded once per loaded entry (and at most once a minute in SQL). */
    private Future<RpClient> used(Cached entry, Instant now) {
        RpClient client = entry.credentials().client();
        return entry.used().compareAndSet(false, true) ? store.touch(pool, client.id(), now).map(client)
                : Future.succeededFuture(client);
    }

    /**
     * Reads the client from the database, once per client at a time: when the cached entry runs out under load,
     * the requests that arrive meanwhile share one read instead of each reading the same row.
     */
    private Future<Optional<Cached>> load(String clientId, Instant now) {
        Future<Optional<Cached>> running = loading.get(clientId);
        if (running != null) {
            return onCallersContext(running);
        }
        long evictionsBefore = evictions.get();
        Future<Optional<Cached>> read = store.findActive(pool, clientId).map(found -> {
            if (found.isEmpty()) {
                cache.remove(clientId);
                return Optional.empty();
            }
            Cached entry = new Cached(found.get(), now, new AtomicBoolean());
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            if (evictions.get() == evictionsBefore) {
                cache.put(clientId, entry);
            }
            return Optional.of(entry);
        });
        loading.put(clientId, read);
        return read.andThen(done -> loading.remove(clientId, read));
    }

    /**
     * A shared read completes on the event loop of the request that started it; a request that joined it continues
     * on its own context, so that it answers from its own connection's event loop (the HTTP server's strict thread
     * mode).
     */
    private static <T> Future<T> onCallersContext(Future<T> shared) {
        Context caller = Vertx.currentContext();
        if (caller == null) {
            return shared;
        }
        Promise<T> here = Promise.promise();
        shared.onComplete(result -> caller.runOnContext(v -> here.handle(result)));
        return here.future();
    }

    /** Forgets a client at once on this node (it was revoked). */
    public void evict(String clientId) {
        evictions.incrementAndGet();
        cache.remove(clientId);
    }

    private static boolean matches(Credentials credentials, byte[] presentedHash) {
        return MessageDigest.isEqual(credentials.secretHash(), presentedHash);
    }

    private static ApiError invalid(String message) {
        return new ApiError(401, "invalid_client", message);
    }
}
