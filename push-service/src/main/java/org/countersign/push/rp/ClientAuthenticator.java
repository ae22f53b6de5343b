package org.countersign.push.rp;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.countersign.push.ApiError;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.domain.RpClient;
import org.countersign.push.store.RpClientStore;
import org.countersign.push.store.RpClientStore.Credentials;

/**
 * Authenticates a relying party from {@code Authorization: Basic base64(clientId:clientSecret)}: the SHA-256 of
 * the presented secret is compared in constant time with the stored one. A secret of 256 random bits cannot be
 * guessed, so a fast hash is right here (Argon2 would cap the API near 20 checks per second per core).
 *
 * <p>Clients verified from the database are cached on this node for {@link #CACHE_TTL}: a revocation made on this
 * node takes effect at once (it evicts the entry), one made on another node within {@link #CACHE_TTL}. The cache
 * holds the secret's hash, never the secret, and also decides {@code last_used_at}, which is written at most once
 * per {@link #CACHE_TTL} per client and node.
 */
public final class ClientAuthenticator {
    public static final Duration CACHE_TTL = Duration.ofSeconds(1);
    static final int MAX_CACHED = 10_000;
    private static final int MAX_HEADER = 1024;
    private static final String INVALID = "The client id or secret is not valid, or the client was revoked.";

    private final Pool pool;
    private final RpClientStore store;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Credentials credentials, Instant loadedAt) {
    }

    public ClientAuthenticator(Pool pool, RpClientStore store, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.store = Objects.requireNonNull(store);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The active client named by the header, or a failed future with 401 {@code invalid_client}. */
    public Future<RpClient> authenticate(String authorization) {
        Optional<String[]> basic = basic(authorization);
        if (basic.isEmpty()) {
            return Future.failedFuture(invalid("Send Authorization: Basic base64(clientId:clientSecret)."));
        }
        String clientId = basic.get()[0];
        byte[] presented = Tokens.hash(basic.get()[1]);
        Instant now = clock.instant();
        Cached cached = cache.get(clientId);
        if (cached != null && now.isBefore(cached.loadedAt().plus(CACHE_TTL)) && !now.isBefore(cached.loadedAt())) {
            return matches(cached.credentials(), presented) ? Future.succeededFuture(cached.credentials().client())
                    : Future.failedFuture(invalid(INVALID));
        }
        return store.findActive(pool, clientId).compose(found -> {
            if (found.isEmpty()) {
                cache.remove(clientId);
                return Future.failedFuture(invalid(INVALID));
            }
            if (!matches(found.get(), presented)) {
                return Future.failedFuture(invalid(INVALID));
            }
            if (cache.size() >= MAX_CACHED) {
                cache.clear();
            }
            cache.put(clientId, new Cached(found.get(), now));
            return store.touch(pool, found.get().client().id(), now).map(found.get().client());
        });
    }

    /** Forgets a client at once on this node (it was revoked). */
    public void evict(String clientId) {
        cache.remove(clientId);
    }

    private static boolean matches(Credentials credentials, byte[] presentedHash) {
        return MessageDigest.isEqual(credentials.secretHash(), presentedHash);
    }

    /** {clientId, secret} from the header, or empty when it is missing or malformed. */
    static Optional<String[]> basic(String header) {
        if (header == null || header.length() > MAX_HEADER || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
    }

    private static ApiError invalid(String message) {
        return new ApiError(401, "invalid_client", message);
    }
}
