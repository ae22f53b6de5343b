package org.countersign.push;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.countersign.push.admin.AdminControls;
import org.countersign.push.admin.Bootstrap;
import org.countersign.push.admin.DeviceRemoval;
import org.countersign.push.admin.UserAdministration;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.audit.AuditSealer;
import org.countersign.push.audit.AuditVerification;
import org.countersign.push.crypto.KeyRing;
import org.countersign.push.http.TrustRoutes;
import org.countersign.push.rotation.SecretReencryption;
import org.countersign.push.channel.ChannelEndpoint;
import org.countersign.push.channel.ChannelRegistry;
import org.countersign.push.cluster.ClusterBus;
import org.countersign.push.crypto.CsrfTokens;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.crypto.SecretBox;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.db.ConnectionWaits;
import org.countersign.push.enroll.EnrollmentService;
import org.countersign.push.enroll.PublicUrls;
import org.countersign.push.rp.RelyingParties;
import org.countersign.push.http.AdmissionControl;
import org.countersign.push.http.ApiRouter;
import org.countersign.push.signin.ApprovalService;
import org.countersign.push.signin.BrowserSignIns;
import org.countersign.push.signin.ChallengeNumbers;
import org.countersign.push.signin.MfaPolicy;
import org.countersign.push.signin.SessionService;
import org.countersign.push.signin.SignInExpiry;
import org.countersign.push.signin.SignInResults;
import org.countersign.push.signin.Challenges;
import org.countersign.push.signin.SecondFactorStarts;
import org.countersign.push.signin.SignInService;
import org.countersign.push.signin.SignInWaiters;
import org.countersign.push.signin.TotpService;
import org.countersign.push.store.AccessConfigCache;
import org.countersign.push.store.AuditStore;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.EnrollmentStore;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SessionStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.SignInStore;
import org.countersign.push.store.UserStore;
import org.countersign.push.tls.TlsIdentity;
import org.countersign.push.web.WebPages;

/**
 * Wires the service together on a Vert.x instance and a database pool it is given: the one place that knows every
 * part. {@link Main} uses it with the real clock; tests use it with theirs.
 */
public final class CountersignServer {
    /** Argon2id threads: bounded, so password floods queue instead of starving the machine. */
    private static final int PASSWORD_WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Vertx vertx;
    private final Config config;
    private final WorkerExecutor passwordWorkers;
    private final ChannelRegistry channels = new ChannelRegistry();
    private final ApiRouter.Services services;
    private final Bootstrap bootstrap;
    private final ClusterBus cluster;
    private PgConnectOptions clusterConnection;
    private final SecretBox secrets;
    private final SecretReencryption reencryption;
    private final AuditSealer sealer;
    private final SignInExpiry expiry;

    /** A service whose TOTP secrets are sealed with one key, which also keys the CSRF tokens. */
    public CountersignServer(Vertx vertx, Pool pool, Config config, byte[] secretKey, Clock clock,
                             SecureRandom random) {
        this(vertx, pool, config, KeyRing.single(secretKey), Optional.empty(), clock, random);
    }

    /** @param ringFile the key ring file to re-read when it changes (empty when the keys come from the environment) */
    public CountersignServer(Vertx vertx, Pool pool, Config config, KeyRing keys, Optional<Path> ringFile, Clock clock,
                             SecureRandom random) {
        this.vertx = Objects.requireNonNull(vertx);
        this.config = Objects.requireNonNull(config);
        this.passwordWorkers = vertx.createSharedWorkerExecutor("countersign-argon2", PASSWORD_WORKERS);

        UserStore users = new UserStore();
        DeviceStore devices = new DeviceStore();
        SignInStore signIns = new SignInStore();
        EnrollmentStore enrollments = new EnrollmentStore();
        SettingsStore settings = new SettingsStore();
        Tokens tokens = new Tokens(random);
        PasswordHasher passwords = new PasswordHasher(passwordWorkers, random);
        this.secrets = new SecretBox(keys, random);
        this.reencryption = new SecretReencryption(vertx, pool, secrets, ringFile);
        this.sealer = new AuditSealer(vertx, pool, clock);
        AuditLog audit = new AuditLog(new AuditStore(), clock);
        MfaPolicy policy = new MfaPolicy();
        ChallengeNumbers numbers = new ChallengeNumbers(random);
        SignInWaiters waiters = new SignInWaiters(vertx);
        SessionService sessions = new SessionService(pool, new SessionStore(), tokens, clock);

        Challenges challenges = new Challenges(pool, numbers, channels, waiters, audit, clock);
        SignInService signInService = new SignInService(pool, users, signIns, settings, passwords, sessions, policy,
                challenges, audit, clock);
        this.expiry = new SignInExpiry(vertx, pool, signIns, audit, clock);
        SignInResults results = new SignInResults(pool, signIns, settings, sessions, waiters, expiry, clock);
        TotpService totp = new TotpService(pool, signIns, devices, users, secrets, results, waiters, audit, clock);
        ApprovalService approvals = new ApprovalService(pool, devices, signIns, enrollments, users, waiters, audit,
                clock);
        EnrollmentService enrollmentService = new EnrollmentService(pool, enrollments, devices, signIns, users,
                settings, secrets, numbers, channels, audit,
                new EnrollmentService.Identity(config.issuer(), new PublicUrls(config.publicUrl()),
                        config.tls().map(TlsIdentity::pin)), clock, random, passwordWorkers);
        UserAdministration administration = new UserAdministration(pool, users, devices, settings, passwords, policy,
                audit, clock);
        DeviceRemoval removal = new DeviceRemoval(pool, devices, signIns, users, channels, waiters, audit, clock);
        ChannelEndpoint endpoint = new ChannelEndpoint(vertx, pool, devices, signIns, users, approvals, channels,
                tokens, clock);
        AdminControls adminControls = AdminControls.create(pool, users, devices, settings, passwords, policy, removal,
                audit, clock, random);

        SecondFactorStarts checks = new SecondFactorStarts(pool, new AccessConfigCache(settings, new PolicyStore()),
                policy, challenges, audit, clock);
        WebPages pages = new WebPages(new BrowserSignIns(pool, signIns, signInService, results, totp, tokens, clock),
                sessions, settings, pool, new CsrfTokens(keys.csrfKey()), config.publicUrl(), clock);
        this.services = new ApiRouter.Services(pool, signInService, results, totp, approvals, sessions,
                enrollmentService, administration, removal, devices, channels, endpoint, clock, pages,
                adminControls,
                RelyingParties.create(pool, signIns, checks, results, totp, waiters, tokens, audit, clock),
                new AdmissionControl(config.maxRequestsInFlight(), config.maxLongPolls(),
                        config.overloadLatencyTarget(), System::nanoTime),
                new TrustRoutes.Services(reencryption, new AuditVerification(pool)));
        this.bootstrap = new Bootstrap(pool, users, administration);
        AdmissionControl admission = services.admission();
        ConnectionWaits.of(vertx).ifPresent(waits -> waits.onWait(admission::databaseWaited));
        this.cluster = ClusterBus.attach(vertx, pool, channels, waiters, signIns, users, devices, clock, random);
    }

    /**
     * Makes {@link #start()} join the other nodes on the same database (ARCHITECTURE.md §6): one extra connection,
     * opened with {@code listenConnection}, LISTENs for them. Without it the node works alone.
     */
    public CountersignServer joinCluster(PgConnectOptions listenConnection) {
        this.clusterConnection = listenConnection;
        return this;
    }

    /** Creates the bootstrap admin if configured and needed, then starts serving; answers whether one was created. */
    public Future<Boolean> start() {
        Future<Boolean> admin = config.bootstrapAdmin().isPresent()
                ? bootstrap.ensureAdmin(config.bootstrapAdmin().get(), config.bootstrapPassword().orElseThrow())
                : Future.succeededFuture(false);
        admin = admin.compose(created -> clusterConnection == null ? Future.succeededFuture(created)
                : cluster.listen(clusterConnection).map(created));
        return admin.compose(created -> vertx.deployVerticle(() -> new HttpVerticle(config, services),
                        new DeploymentOptions().setInstances(config.httpInstances()))
                .map(id -> {
                    channels.startKeepalive(vertx, config.pingInterval());
                    reencryption.start(SecretReencryption.DEFAULT_INTERVAL);
                    sealer.start(AuditSealer.DEFAULT_INTERVAL);
                    expiry.start(SignInExpiry.DEFAULT_INTERVAL);
                    return created;
                }));
    }

    public ChannelRegistry channels() {
        return channels;
    }

    /** This node's overload shedding (tests watch its counts to drive overload deterministically). */
    public AdmissionControl admission() {
        return services.admission();
    }

    public ClusterBus cluster() {
        return cluster;
    }

    /** The key ring in use (replaced when the ring file changes). */
    public SecretBox secrets() {
        return secrets;
    }

    /** The background re-encryption of TOTP secrets (tests run passes directly). */
    public SecretReencryption reencryption() {
        return reencryption;
    }

    /** The audit chain sealer (tests seal directly). */
    public AuditSealer auditSealer() {
        return sealer;
    }

    /** The sweep that expires and records unanswered sign-ins (tests sweep directly). */
    public SignInExpiry signInExpiry() {
        return expiry;
    }

    /** A new router with every route the service serves: for tests that must cover each endpoint, even new ones. */
    public io.vertx.ext.web.Router newRouter() {
        return ApiRouter.create(vertx, services);
    }

    public Future<Void> close() {
        reencryption.stop();
        sealer.stop();
        expiry.stop();
        channels.stopKeepalive(vertx);
        channels.closeAll();
        return cluster.close().transform(ignored -> passwordWorkers.close());
    }
}
