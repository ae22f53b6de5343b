package org.countersign.push.enroll;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.protocol.ActivationRequest;
import org.countersign.protocol.ActivationResponse;
import org.countersign.protocol.Base32;
import org.countersign.protocol.DevicePublicKey;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.SignInKind;
import org.countersign.protocol.Totp;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.SecretBox;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.DeviceState;
import org.countersign.push.domain.Enrollment;
import org.countersign.push.domain.EnrollmentState;
import org.countersign.push.domain.Session;
import org.countersign.push.domain.SignIn;
import org.countersign.push.domain.SignInState;
import org.countersign.push.domain.User;
import org.countersign.push.signin.ChallengeNumbers;
import org.countersign.push.signin.PushDelivery;
import org.countersign.push.signin.SignInService;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.EnrollmentStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;

/**
 * Enrollments (ARCHITECTURE.md §2.1): creates the one-time activation code and its QR code, activates the device
 * the app presents, and sends the test notification whose approval verifies it.
 */
public final class EnrollmentService {
    public static final Duration ENROLLMENT_LIFETIME = Duration.ofMinutes(10);
    public static final Duration TEST_LIFETIME = Duration.ofMinutes(5);
    /** 160 random bits, Base32: well above the 128 bits the design asks of an activation code. */
    private static final int CODE_BYTES = 20;
    private static final int TOTP_SECRET_BYTES = 20;

    /** What the service needs to know about itself to build enrollment URIs. */
    public record Identity(String issuer, PublicUrls urls, Optional<String> tlsPin) {
        public Identity {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(urls, "urls");
            Objects.requireNonNull(tlsPin, "tlsPin");
        }

        /** Without a TLS pin (the service is plain HTTP or behind a proxy whose key it does not know). */
        public Identity(String issuer, PublicUrls urls) {
            this(issuer, urls, Optional.empty());
        }
    }

    private final Pool pool;
    private final EnrollmentStore enrollments;
    private final DeviceStore devices;
    private final SignInStore signIns;
    private final UserStore users;
    private final SettingsStore settings;
    private final SecretBox secrets;
    private final ChallengeNumbers numbers;
    private final PushDelivery push;
    private final AuditLog audit;
    private final Identity identity;
    private final Clock clock;
    private final SecureRandom random;
    private final DeviceAddedNotice notice;
    private final WorkerExecutor workers;

    /** @param workers where QR images are rendered: slow CPU work, never on an event loop */
    public EnrollmentService(Pool pool, EnrollmentStore enrollments, DeviceStore devices, SignInStore signIns,
                             UserStore users, SettingsStore settings, SecretBox secrets,
                             ChallengeNumbers numbers, PushDelivery push, AuditLog audit, Identity identity,
                             Clock clock, SecureRandom random, WorkerExecutor workers) {
        this.pool = Objects.requireNonNull(pool);
        this.enrollments = Objects.requireNonNull(enrollments);
        this.devices = Objects.requireNonNull(devices);
        this.signIns = Objects.requireNonNull(signIns);
        this.users = Objects.requireNonNull(users);
        this.settings = Objects.requireNonNull(settings);
        this.secrets = Objects.requireNonNull(secrets);
        this.numbers = Objects.requireNonNull(numbers);
        this.push = Objects.requireNonNull(push);
        this.audit = Objects.requireNonNull(audit);
        this.identity = Objects.requireNonNull(identity);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
        this.notice = new DeviceAddedNotice(pool, devices, push, audit);
        this.workers = Objects.requireNonNull(workers);
    }

    /**
     * Starts an enrollment for the session's user. A person who already has a device must have completed MFA in
     * this session: a password alone must not be enough to add a device.
     */
    public Future<EnrollmentCreated> create(Session session) {
        User user = session.user();
        return devices.countVerified(pool, user.id()).compose(count -> {
            if (count > 0 && !session.mfaCompleted()) {
                return Future.failedFuture(new ApiError(403, "mfa_required",
                        "Adding another device needs a sign-in completed with your existing authenticator."));
            }
            Instant now = clock.instant();
            String code = newCode();
            Enrollment enrollment = new Enrollment(UUID.randomUUID(), user.id(), EnrollmentState.WAITING, now,
                    now.plus(ENROLLMENT_LIFETIME), Optional.empty(), Optional.empty());
            EnrollmentUri uri = EnrollmentUri.of(identity.urls().activationUrl(), code, identity.issuer(),
                    user.username(), identity.tlsPin());
            return pool.withTransaction(sql -> enrollments.insert(sql, enrollment, Tokens.hash(code))
                            .compose(saved -> audit.record(sql, "registration.started", user.username(),
                                    user.username(), "success", Map.of("enrollmentId", enrollment.id().toString()))))
                    .compose(ignored -> workers.executeBlocking(() -> QrCodes.pngDataUrl(uri.format()), false))
                    .map(qr -> new EnrollmentCreated(enrollment, uri, qr));
        });
    }

    private String newCode() {
        byte[] bytes = new byte[CODE_BYTES];
        random.nextBytes(bytes);
        return Base32.encode(bytes);
    }

    public Future<EnrollmentStatus> status(Session session, UUID enrollmentId) {
        return enrollments.findById(pool, enrollmentId).compose(found -> {
            if (found.isEmpty() || !found.get().userId().equals(session.user().id())) {
                return Future.failedFuture(ApiError.notFound("That enrollment"));
            }
            Enrollment enrollment = found.get();
            EnrollmentState state = enrollment.effectiveState(clock.instant());
            if (enrollment.testSignInId().isEmpty() || state != EnrollmentState.ACTIVATED) {
                return Future.succeededFuture(new EnrollmentStatus(enrollment.id(), state, enrollment.deviceId(),
                        Optional.empty()));
            }
            return signIns.findById(pool, enrollment.testSignInId().get()).map(test -> new EnrollmentStatus(
                    enrollment.id(), state, enrollment.deviceId(), test));
        });
    }

    /** Activates the device the app presents with a one-time code; the code cannot be used again. */
    public Future<ActivationResponse> activate(ActivationRequest request) {
        DevicePublicKey publicKey = DevicePublicKey.parse(request.publicKey());
        Instant now = clock.instant();
        return pool.withTransaction(sql -> enrollments.claim(sql, Tokens.hash(request.code()), now)
                        .compose(claimed -> claimed.isPresent()
                                ? activateClaimed(sql, claimed.get(), request, publicKey, now)
                                : Future.failedFuture(ApiError.badRequest("invalid_activation_code",
                                        "The activation code is unknown, expired or already used. "
                                                + "Start the registration again to get a new QR code."))))
                .andThen(done -> {
                    if (done.succeeded()) {
                        sendTest(done.result().deviceId());
                        notice.send(UUID.fromString(done.result().deviceId()));
                    }
                });
    }

    private Future<ActivationResponse> activateClaimed(SqlClient sql, Enrollment enrollment,
                                                       ActivationRequest request, DevicePublicKey publicKey,
                                                       Instant now) {
        UUID deviceId = UUID.randomUUID();
        OtpSecret secret = OtpSecret.random(random, TOTP_SECRET_BYTES);
        byte[] sealed = secrets.seal(secret.bytes(), enrollment.userId().toString(), deviceId.toString());
        Device device = new Device(deviceId, enrollment.userId(), request.deviceName(), request.platform(), publicKey,
                Totp.DEFAULT, DeviceState.UNVERIFIED, now, Optional.empty());
        return users.findById(sql, enrollment.userId()).compose(user -> settings.get(sql).compose(current -> {
            SignIn test = testSignIn(enrollment.userId(), deviceId, current.numberDigits(), now);
            String username = user.map(User::username).orElseThrow();
            return devices.insert(sql, device, request.keyAlg(), sealed)
                    .compose(ignored -> signIns.insert(sql, test))
                    .compose(ignored -> enrollments.attach(sql, enrollment.id(), deviceId, test.id()))
                    .compose(ignored -> audit.record(sql, "registration.activated", username, username, "success",
                            Map.of("deviceId", deviceId.toString(), "deviceName", request.deviceName(),
                                    "platform", request.platform())))
                    .compose(ignored -> notice.record(sql, device, username))
                    .map(ignored -> new ActivationResponse(deviceId.toString(), identity.issuer(), username,
                            identity.urls().channelUrl(deviceId), secret, Totp.DEFAULT));
        }));
    }

    private SignIn testSignIn(UUID userId, UUID deviceId, int numberDigits, Instant now) {
        return new SignIn(UUID.randomUUID(), userId, SignInKind.REGISTRATION_TEST, SignInState.PENDING,
                Optional.empty(), Optional.empty(), Optional.of(numbers.next(numberDigits)),
                identity.issuer() + " registration", Optional.empty(), Optional.empty(), Optional.of(deviceId),
                Optional.empty(), false, false, now, now.plus(TEST_LIFETIME));
    }

    /**
     * Sends a new test notification to the activated, not yet verified device of an enrollment whose test was
     * denied (a mistyped number) or expired, and answers the new status.
     */
    public Future<EnrollmentStatus> resendTest(Session session, UUID enrollmentId) {
        Instant now = clock.instant();
        return pool.withTransaction(sql -> enrollments.findById(sql, enrollmentId).compose(found -> {
            if (found.isEmpty() || !found.get().userId().equals(session.user().id())) {
                return Future.failedFuture(ApiError.notFound("That enrollment"));
            }
            Enrollment enrollment = found.get();
            if (enrollment.state() != EnrollmentState.ACTIVATED || enrollment.deviceId().isEmpty()) {
                return Future.failedFuture(ApiError.conflict("not_activated", enrollment.state()
                        == EnrollmentState.VERIFIED ? "This device is verified already."
                        : "No app has been set up with this QR code yet."));
            }
            UUID deviceId = enrollment.deviceId().get();
            return devices.findById(sql, deviceId).compose(device -> {
                if (device.isEmpty() || device.get().isRemoved()) {
                    return Future.failedFuture(ApiError.conflict("device_removed",
                            "This device was removed. Start again with Add sign-in method."));
                }
                return enrollment.testSignInId().isEmpty() ? Future.succeededFuture(Optional.<SignIn>empty())
                        : signIns.findById(sql, enrollment.testSignInId().get());
            }).compose(test -> {
                if (test.isPresent() && test.get().effectiveState(now) == SignInState.PENDING) {
                    return Future.failedFuture(ApiError.conflict("test_pending",
                            "The test notification is still waiting for your answer in the app."));
                }
                return settings.get(sql).compose(current -> {
                    SignIn next = testSignIn(enrollment.userId(), deviceId, current.numberDigits(), now);
                    return signIns.insert(sql, next)
                            .compose(ignored -> enrollments.attach(sql, enrollment.id(), deviceId, next.id()))
                            .compose(ignored -> audit.record(sql, "registration.test_resent",
                                    session.user().username(), session.user().username(), "success",
                                    Map.of("deviceId", deviceId.toString())))
                            .map(deviceId);
                });
            });
        })).andThen(done -> {
            if (done.succeeded()) {
                sendTest(done.result().toString());
            }
        }).compose(ignored -> status(session, enrollmentId));
    }

    /** Pushes the pending registration test to the new device, if its channel is already open. */
    private void sendTest(String deviceId) {
        UUID id = UUID.fromString(deviceId);
        devices.findById(pool, id).compose(device -> device.isEmpty() ? Future.succeededFuture()
                : signIns.pendingFor(pool, device.get(), clock.instant()).compose(tests -> users
                        .findById(pool, device.get().userId()).map(user -> {
                            tests.forEach(test -> push.send(id, SignInService.approvalRequest(test,
                                    user.map(User::username).orElse(""))));
                            return null;
                        })));
    }
}
