package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.SignInKind;
import org.countersign.protocol.SignedPayloads;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.AuditEvent;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInMethod;
import org.countersign.push.domain.SignInState;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.EnrollmentStore;
import org.countersign.push.store.PushAnswerStore;
import org.countersign.push.store.PushFatigueStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;

/**
 * Decides sign-ins from signed device answers (ARCHITECTURE.md §2.2 step 4, §3.4). The signed string is rebuilt
 * from the service's own records: the sign-in id it issued and the device id it knows, with the decision and
 * number received. The device row is locked for the transaction, so a removal and an approval cannot both win.
 */
public final class ApprovalService {
    private final Pool pool;
    private final DeviceStore devices;
    private final SignInStore signIns;
    private final EnrollmentStore enrollments;
    private final UserStore users;
    private final SignInWaiters waiters;
    private final AuditLog audit;
    private final Clock clock;
    private final AttemptGuard attempts;
    private final PushFatigueStore pushes = new PushFatigueStore();
    private final PushAnswerStore answers = new PushAnswerStore();

    public ApprovalService(Pool pool, DeviceStore devices, SignInStore signIns, EnrollmentStore enrollments,
                           UserStore users, SignInWaiters waiters, AuditLog audit, Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.devices = Objects.requireNonNull(devices);
        this.signIns = Objects.requireNonNull(signIns);
        this.enrollments = Objects.requireNonNull(enrollments);
        this.users = Objects.requireNonNull(users);
        this.waiters = Objects.requireNonNull(waiters);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.attempts = new AttemptGuard(ThrottlePolicy.DEFAULT, audit, clock);
    }

    /**
     * Applies a device's answer to the sign-in {@code signInId}.
     *
     * @param channelDevice the device logged in on the channel the answer came through, or empty over HTTP
     */
    public Future<ApprovalResult> respond(UUID signInId, ApprovalResponse response, Optional<UUID> channelDevice) {
        UUID deviceId;
        try {
            deviceId = UUID.fromString(response.deviceId());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(ApiError.badRequest("invalid_field", "deviceId: must be a device id."));
        }
        if (!response.signInId().equals(signInId.toString())) {
            return Future.failedFuture(ApiError.badRequest("invalid_field",
                    "signInId: the body names another sign-in than the address."));
        }
        if (channelDevice.isPresent() && !channelDevice.get().equals(deviceId)) {
            return Future.failedFuture(ApiError.forbidden("deviceId: this channel belongs to another device."));
        }
        return answer(signInId, deviceId, response).andThen(done -> {
            if (done.succeeded() && done.result().committedRow().isPresent()) {
                waiters.wake(done.result().committedRow().get());
            } else {
                waiters.wake(signInId);
            }
        }).map(Answered::result);
    }

    /**
     * An answer's result, with the sign-in row as its committed deciding statement returned it (single-statement
     * path only): long polls of this node are handed it instead of reading it again.
     */
    private record Answered(ApprovalResult result, Optional<SignIn> committedRow) {
        static Answered of(ApprovalResult result) {
            return new Answered(result, Optional.empty());
        }
    }

    /**
     * The common answers (approve, deny) to a sign-in-kind challenge take one read and one statement
     * ({@link PushAnswerStore}); the signature is checked between them against the key read, and the statement
     * decides only while that same key's device row is locked and still verified. Everything else (registration
     * tests, wrong numbers, fraud reports, a device that changed meanwhile) takes the transaction of {@link #decide}.
     */
    private Future<Answered> answer(UUID signInId, UUID deviceId, ApprovalResponse response) {
        return answers.context(pool, deviceId, signInId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiError.notFound("That device"));
            }
            Device device = found.get().device();
            if (device.isRemoved()) {
                return Future.failedFuture(new ApiError(403, "device_removed",
                        "This device is not registered any more: it was removed."));
            }
            Optional<SignIn> signIn = found.get().signIn();
            if (signIn.isEmpty() || !mayAnswer(device, signIn.get())) {
                return Future.failedFuture(ApiError.notFound("That sign-in"));
            }
            Outcome outcome = outcome(signIn.get(), response);
            boolean common = signIn.get().kind() == SignInKind.SIGN_IN && (outcome.state == SignInState.APPROVED
                    || outcome.reason.equals(Optional.of(DenialReason.USER_DENIED)));
            if (!common) {
                return inTransaction(signInId, deviceId, response).map(Answered::of);
            }
            if (!verified(device, signIn.get(), response)) {
                return Future.failedFuture(invalidSignature());
            }
            Instant now = clock.instant();
            SignInState current = signIn.get().effectiveState(now);
            if (current != SignInState.PENDING) {
                return Future.failedFuture(ApiError.conflict("already_decided",
                        "This sign-in is already " + current.wire() + "."));
            }
            String event = outcome.state == SignInState.APPROVED ? "approved" : DenialReason.USER_DENIED.wire();
            PushAnswerStore.Answer decision = new PushAnswerStore.Answer(device.id(), device.userId(),
                    device.publicKey().base64Url(), signInId, outcome.state, outcome.reason, now,
                    new AuditEvent(clock.instant(), "sign_in.mfa", found.get().username(),
                            Optional.of(found.get().username()), event, Map.of("signInId", signInId.toString(),
                            "deviceId", device.id().toString(), "method", "push")));
            return answers.decide(pool, decision).compose(decided -> {
                if (!decided.deviceQualified()) {
                    return inTransaction(signInId, deviceId, response).map(Answered::of);
                }
                if (decided.signIn().isEmpty()) {
                    return Future.failedFuture(ApiError.conflict("already_decided",
                            "This sign-in was decided by another answer."));
                }
                SignIn row = decided.signIn().get();
                return Future.succeededFuture(new Answered(new ApprovalResult(signInId.toString(),
                        row.state().wire(), row.reason().map(DenialReason::wire).orElse(null)), Optional.of(row)));
            });
        });
    }

    private Future<ApprovalResult> inTransaction(UUID signInId, UUID deviceId, ApprovalResponse response) {
        return pool.withTransaction(sql -> decide(sql, signInId, deviceId, response));
    }

    private static boolean verified(Device device, SignIn signIn, ApprovalResponse response) {
        byte[] signed = SignedPayloads.approval(signIn.id().toString(), device.id().toString(), response.decision(),
                response.number());
        return device.publicKey().verify(signed, response.signature());
    }

    private static ApiError invalidSignature() {
        return new ApiError(401, "invalid_signature", "The signature does not match this device's key.");
    }

    private Future<ApprovalResult> decide(SqlClient sql, UUID signInId, UUID deviceId, ApprovalResponse response) {
        return devices.lockForUse(sql, deviceId).compose(device -> {
            if (device.isEmpty()) {
                return Future.failedFuture(ApiError.notFound("That device"));
            }
            if (device.get().isRemoved()) {
                return Future.failedFuture(new ApiError(403, "device_removed",
                        "This device is not registered any more: it was removed."));
            }
            return signIns.findById(sql, signInId).compose(signIn -> {
                if (signIn.isEmpty() || !mayAnswer(device.get(), signIn.get())) {
                    return Future.failedFuture(ApiError.notFound("That sign-in"));
                }
                return attempts.isLockedOut(sql, device.get().userId()).compose(locked -> locked
                        ? denyLockedOut(sql, device.get(), signIn.get(), response)
                        : apply(sql, device.get(), signIn.get(), response));
            });
        });
    }

    /** A verified device answers its user's sign-ins; an unverified one only its own registration test. */
    private static boolean mayAnswer(Device device, SignIn signIn) {
        if (!signIn.userId().equals(device.userId())) {
            return false;
        }
        return signIn.kind() == SignInKind.REGISTRATION_TEST
                ? signIn.targetDeviceId().equals(Optional.of(device.id()))
                : device.isVerified();
    }

    private Future<ApprovalResult> apply(SqlClient sql, Device device, SignIn signIn, ApprovalResponse response) {
        Instant now = clock.instant();
        if (!verified(device, signIn, response)) {
            return Future.failedFuture(invalidSignature());
        }
        SignInState current = signIn.effectiveState(now);
        if (current != SignInState.PENDING) {
            return Future.failedFuture(ApiError.conflict("already_decided",
                    "This sign-in is already " + current.wire() + "."));
        }
        Outcome outcome = outcome(signIn, response);
        return signIns.decide(sql, signIn.id(), outcome.state, outcome.reason, SignInMethod.PUSH,
                        Optional.of(device.id()), now)
                .compose(decided -> {
                    if (decided.isEmpty()) {
                        return Future.failedFuture(ApiError.conflict("already_decided",
                                "This sign-in was decided by another answer."));
                    }
                    return afterDecision(sql, device, decided.get(), now)
                            .map(new ApprovalResult(signIn.id().toString(), decided.get().state().wire(),
                                    decided.get().reason().map(DenialReason::wire).orElse(null)));
                });
    }

    /**
     * The user was locked out after this request was sent: a signed answer ends the sign-in as denied
     * ({@code locked_out}) whatever it says, so that no session comes of it (ARCHITECTURE.md §3.4).
     */
    private Future<ApprovalResult> denyLockedOut(SqlClient sql, Device device, SignIn signIn,
                                                 ApprovalResponse response) {
        Instant now = clock.instant();
        if (!verified(device, signIn, response)) {
            return Future.failedFuture(invalidSignature());
        }
        return signIns.decide(sql, signIn.id(), SignInState.DENIED, Optional.of(DenialReason.LOCKED_OUT),
                SignInMethod.PUSH, Optional.of(device.id()), now).compose(decided -> decided.isEmpty()
                ? Future.failedFuture(ApiError.conflict("already_decided",
                        "This sign-in is already " + signIn.effectiveState(now).wire() + "."))
                : Future.succeededFuture(new ApprovalResult(signIn.id().toString(), SignInState.DENIED.wire(),
                        DenialReason.LOCKED_OUT.wire())));
    }

    private record Outcome(SignInState state, Optional<DenialReason> reason) {
    }

    private static Outcome outcome(SignIn signIn, ApprovalResponse response) {
        if (response.decision() == Decision.DENY) {
            return new Outcome(SignInState.DENIED, Optional.of(DenialReason.USER_DENIED));
        }
        if (response.decision() == Decision.FRAUD) {
            return new Outcome(SignInState.DENIED, Optional.of(DenialReason.FRAUD_REPORTED));
        }
        boolean matches = response.number() != null && signIn.number().isPresent() && MessageDigest.isEqual(
                signIn.number().get().getBytes(StandardCharsets.US_ASCII),
                response.number().getBytes(StandardCharsets.US_ASCII));
        return matches ? new Outcome(SignInState.APPROVED, Optional.empty())
                : new Outcome(SignInState.DENIED, Optional.of(DenialReason.WRONG_NUMBER));
    }

    /**
     * Per-user {@code enabled} means "must register"; once registration is complete the user becomes
     * {@code enforced}, as the per-user MFA documents describe. Recorded with the system as actor.
     */
    private Future<Void> enforceOnRegistration(SqlClient sql, Device device) {
        return users.enforceIfEnabled(sql, device.userId()).compose(changed -> !changed ? Future.succeededFuture()
                : users.findById(sql, device.userId()).compose(user -> audit.record(sql, "mfa_state.changed",
                        AuditLog.SYSTEM, user.map(u -> u.username()).orElse(null), "success",
                        Map.of("from", "enabled", "mfaState", "enforced", "cause", "registration_completed",
                                "deviceId", device.id().toString()))));
    }

    /** After a fraud report: no more pushes for the user until an admin clears it; audited once. */
    private Future<Void> suspendAfterFraud(SqlClient sql, UUID userId, String username, UUID signInId, Instant now) {
        return pushes.suspendPushes(sql, userId, now).compose(newly -> !newly ? Future.succeededFuture()
                : audit.record(sql, "user.push_suspended", AuditLog.SYSTEM, username, "fraud_reported",
                        Map.of("signInId", signInId.toString())));
    }

    private Future<Void> withUsername(SqlClient sql, Device device,
                                      Function<String, Future<Void>> then) {
        return users.findById(sql, device.userId())
                .compose(user -> user.isEmpty() ? Future.succeededFuture() : then.apply(user.get().username()));
    }

    private Future<Void> afterDecision(SqlClient sql, Device device, SignIn decided, Instant now) {
        Future<Void> effects;
        if (decided.state() == SignInState.APPROVED && decided.kind() == SignInKind.REGISTRATION_TEST) {
            effects = devices.markVerified(sql, device.id(), now)
                    .compose(ignored -> enrollments.markVerified(sql, device.id()))
                    .compose(ignored -> devices.touch(sql, device.id(), now))
                    .compose(ignored -> enforceOnRegistration(sql, device));
        } else if (decided.state() == SignInState.APPROVED) {
            effects = devices.touch(sql, device.id(), now).compose(ignored -> users.resetFailedMfa(sql, device.userId()))
                    .compose(ignored -> withUsername(sql, device, name -> attempts.succeeded(sql, name,
                            decided.ip())));
        } else if (decided.reason().equals(Optional.of(DenialReason.WRONG_NUMBER))) {
            effects = users.countFailedMfa(sql, device.userId())
                    .compose(ignored -> withUsername(sql, device, name -> attempts.failed(sql, name,
                            Optional.of(device.userId()), decided.ip())));
        } else if (decided.reason().equals(Optional.of(DenialReason.FRAUD_REPORTED))
                && decided.kind() == SignInKind.SIGN_IN) {
            effects = withUsername(sql, device, name -> suspendAfterFraud(sql, device.userId(), name,
                    decided.id(), now));
        } else {
            effects = Future.succeededFuture();
        }
        String outcome = decided.state() == SignInState.APPROVED ? "approved"
                : decided.reason().map(DenialReason::wire).orElse("denied");
        return effects.compose(ignored -> users.findById(sql, device.userId()))
                .compose(user -> audit.record(sql, decided.kind() == SignInKind.REGISTRATION_TEST
                                ? "registration.test" : "sign_in.mfa", user.map(u -> u.username()).orElse("unknown"),
                        user.map(u -> u.username()).orElse(null), outcome,
                        Map.of("signInId", decided.id().toString(), "deviceId", device.id().toString(),
                                "method", "push")));
    }
}
