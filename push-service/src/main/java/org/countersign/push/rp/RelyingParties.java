package org.countersign.push.rp;

import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.Objects;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.signin.SignInResults;
import org.countersign.push.signin.SecondFactorStarts;
import org.countersign.push.signin.SignInWaiters;
import org.countersign.push.signin.TotpService;
import org.countersign.push.store.RpClientStore;
import org.countersign.push.store.SignInStore;

/** The parts of the relying-party API, built once per node (the cache and the rate limits are per node). */
public record RelyingParties(RpClients clients, ClientAuthenticator authenticator, RateLimits rateLimits,
                             SecondFactorChecks checks) {
    public RelyingParties {
        Objects.requireNonNull(clients);
        Objects.requireNonNull(authenticator);
        Objects.requireNonNull(rateLimits);
        Objects.requireNonNull(checks);
    }

    public static RelyingParties create(Pool pool, SignInStore signIns, SecondFactorStarts starts,
                                        SignInResults results, TotpService totp, SignInWaiters waiters, Tokens tokens,
                                        AuditLog audit, Clock clock) {
        RpClientStore store = new RpClientStore();
        ClientAuthenticator authenticator = new ClientAuthenticator(pool, store, clock);
        RateLimits rateLimits = new RateLimits(clock);
        RpClients clients = new RpClients(pool, store, authenticator, rateLimits, tokens, audit, clock);
        SecondFactorChecks checks = new SecondFactorChecks(pool, signIns, starts, results, totp,
                waiters, audit, clock);
        return new RelyingParties(clients, authenticator, rateLimits, checks);
    }
}
