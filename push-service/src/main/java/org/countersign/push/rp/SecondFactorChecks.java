package org.countersign.push.rp;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.RpClient;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.countersign.push.signin.SignInRequest;
import org.countersign.push.signin.SignInResult;
import org.countersign.push.signin.SignInResults;
import org.countersign.push.signin.SecondFactorStarts;
import org.countersign.push.signin.SignInWaiters;
import org.countersign.push.signin.TotpService;
import org.countersign.push.store.SignInStore;

/**
 * Second-factor checks for relying parties. A check is a sign-in challenge started through
 * {@link SecondFactorStarts#start} (so every rule on challenges applies), attributed to its client and
 * never yielding a session. A push check is answered by the person's device as any sign-in; a TOTP check is decided
 * at once by {@link TotpService} (replay protection and failure counting included), a wrong or replayed code
 * denying it. Each check is audited as {@code rp.check} with the client's name, never with the number or code.
 */
public final class SecondFactorChecks {
    private final Pool pool;
    private final SignInStore signIns;
    private final SecondFactorStarts starts;
    private final SignInResults results;
    private final TotpService totp;
    private final SignInWaiters waiters;
    private final AuditLog audit;
    private final Clock clock;

    public SecondFactorChecks(Pool pool, SignInStore signIns,
                              SecondFactorStarts starts, SignInResults results, TotpService totp,
                              SignInWaiters waiters, AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.signIns = Objects.requireNonNull(signIns);
        this.starts = Objects.requireNonNull(starts);
        this.results = Objects.requireNonNull(results);
        this.totp = Objects.requireNonNull(totp);
        this.waiters = Objects.requireNonNull(waiters);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Starts a check: a pending push (with its number), or a TOTP check already approved or denied. A refusal
     * (unknown user, policy block, no device, throttled) is recorded with its code as the outcome.
     */
    public Future<SignInResult> start(RpClient client, CheckRequest request) {
        SignInRequest context = new SignInRequest(request.username(), "", request.app(), request.ip(),
                request.location(), Optional.empty(), false);
        boolean push = request.factor() == CheckRequest.Factor.PUSH;
        return starts.start(context, client.id(), push, checkId -> push
                        ? Optional.of(event(client, request, Optional.of(checkId), "push_sent"))
                        : Optional.empty())
                .recover(failure -> failure instanceof ApiError error
                        ? record(client, request, Optional.empty(), error.code())
                                .transform(ignored -> Future.failedFuture(failure))
                        : Future.failedFuture(failure))
                .compose(started -> push ? Future.succeededFuture(started)
                        : checkCode(started.signIn().id(), request.code().orElseThrow())
                                .compose(decided -> record(client, request, Optional.of(decided.signIn().id()),
                                        decided.state().wire()).map(decided)));
    }

    /** The state of a check of this client, waiting up to {@code waitSeconds}; another client's check is not found. */
    public Future<SignInResult> read(RpClient client, UUID checkId, int waitSeconds) {
        return results.readCheck(checkId, client.id(), waitSeconds);
    }

    /** Approves the check with the code, or denies it ({@code wrong_code}) when the code is wrong or was used. */
    private Future<SignInResult> checkCode(UUID checkId, String code) {
        return totp.verify(checkId, code, false).recover(failure -> failure instanceof ApiError error
                && "invalid_code".equals(error.code()) ? deny(checkId) : Future.failedFuture(failure));
    }

    private Future<SignInResult> deny(UUID checkId) {
        return signIns.decide(pool, checkId, SignInState.DENIED, Optional.of(DenialReason.WRONG_CODE),
                        SignInMethod.TOTP, Optional.empty(), clock.instant())
                .compose(decided -> decided.isPresent() ? Future.succeededFuture(decided.get())
                        : signIns.findById(pool, checkId).map(Optional::orElseThrow))
                .map(row -> SignInResult.of(row, row.effectiveState(clock.instant())))
                .andThen(done -> waiters.wake(checkId));
    }

    private Future<Void> record(RpClient client, CheckRequest request, Optional<UUID> checkId, String outcome) {
        return record(pool, client, request, checkId, outcome);
    }

    private Future<Void> record(SqlClient sql, RpClient client, CheckRequest request, Optional<UUID> checkId,
                                String outcome) {
        AuditEvent event = event(client, request, checkId, outcome);
        return audit.record(sql, event.type(), event.actor(), event.target().orElse(null), event.outcome(),
                event.detail());
    }

    /** The {@code rp.check} event: the client's name and id, the factor and app, the check; never a code. */
    private AuditEvent event(RpClient client, CheckRequest request, Optional<UUID> checkId, String outcome) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("client", client.name());
        detail.put("clientId", client.clientId());
        detail.put("factor", request.factor().wire());
        detail.put("app", request.app());
        checkId.ifPresent(id -> detail.put("checkId", id.toString()));
        return new AuditEvent(clock.instant(), "rp.check", "rp:" + client.name(), Optional.of(request.username()),
                outcome, detail);
    }
}
