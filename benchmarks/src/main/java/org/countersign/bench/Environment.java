package org.countersign.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.crypto.SecretBox;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.db.EmbeddedPostgres;

/**
 * Everything the scenarios run against, started once: an embedded PostgreSQL (push-service's own support; as root
 * it runs as an unprivileged user), service node A (and B for the cross-node scenario) as separate JVMs, seeded
 * users and devices (setup, not measured), the relying-party client, and the generator's Vert.x with a few event
 * loops. Closing stops all of it and deletes the work directory.
 */
public final class Environment implements AutoCloseable {
    static final String ADMIN = "bench-admin";
    static final String PASSWORD = "correct horse battery staple";
    /** Event loops of the load generator (the machine has 2 cores, shared with the service and PostgreSQL). */
    static final int GENERATOR_EVENT_LOOPS = 2;

    final BenchOptions options;
    final Path work;
    final SecureRandom random = new SecureRandom();
    final EmbeddedPostgres postgres;
    final DatabaseSettings database;
    final String secretKey;
    final SecretBox secrets;
    final Vertx vertx;
    final String passwordHash;
    final Seeder seeder;
    ServiceNode nodeA;
    ServiceNode nodeB;
    Optional<AdminSetup.RpCredentials> rp = Optional.empty();
    List<SimDevice> approvalDevices = List.of();
    final ConcurrentLinkedQueue<String> freeApprovalUsers = new ConcurrentLinkedQueue<>();
    final Screen screen = new Screen();
    DeviceFleet fleet;
    String settingsApplied = "";

    private Environment(BenchOptions options, Path work, EmbeddedPostgres postgres) {
        this.options = options;
        this.work = work;
        this.postgres = postgres;
        this.database = postgres.settings();
        byte[] key = new byte[32];
        random.nextBytes(key);
        this.secretKey = Base64.getEncoder().encodeToString(key);
        this.secrets = new SecretBox(key, random);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(GENERATOR_EVENT_LOOPS)
                .setPreferNativeTransport(true));
        this.passwordHash = new PasswordHasher(vertx.createSharedWorkerExecutor("bench-seed-argon2", 1), random)
                .hash(PASSWORD).await();
        this.seeder = new Seeder(database, secrets, passwordHash, random);
    }

    /** Starts PostgreSQL and node A, seeds the approval users and creates the relying-party client. */
    public static Environment start(BenchOptions options) throws IOException, SQLException {
        if (!Files.isRegularFile(options.serviceJar())) {
            throw new IOException("no service jar at " + options.serviceJar() + ": run `mvn -pl benchmarks -am "
                    + "package` first (or pass --service-jar)");
        }
        Path work = Files.createTempDirectory("countersign-bench-");
        // enterable by the unprivileged account PostgreSQL runs as when we are root
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        EmbeddedPostgres postgres = StatementCounter.enable(EmbeddedPostgres.start(work), work);
        Environment env = new Environment(options, work, postgres);
        try {
            env.nodeA = env.startNode("node-a", options.jfr() ? options.outDir().resolve("node-a.jfr") : null);
            env.setUp();
            return env;
        } catch (IOException | SQLException | RuntimeException e) {
            env.close();
            throw e;
        }
    }

    ServiceNode startNode(String name, Path jfr) throws IOException {
        return ServiceNode.start(name, options.serviceJar(), work, databaseUrl(), secretKey, ADMIN, PASSWORD, jfr,
                options.serviceJvmOptions(), options.serviceOptions());
    }

    /** Node B, started on first use. */
    ServiceNode nodeB() throws IOException {
        if (nodeB == null) {
            nodeB = startNode("node-b", null);
        }
        return nodeB;
    }

    private void setUp() throws IOException, SQLException {
        AdminSetup admin = new AdminSetup(nodeA.url());
        admin.signIn(ADMIN, PASSWORD);
        // users of the password scenario have MFA disabled; security defaults would ask them for it
        boolean defaultsOff = admin.trySetting("securityDefaults", false);
        boolean pushLimit = false;
        for (int limit : new int[] {1_000_000, 100_000, 10_000, 1_000}) {
            if (admin.trySetting("pushLimitPer10Minutes", limit)) {
                pushLimit = true;
                settingsApplied = "pushLimitPer10Minutes=" + limit;
                break;
            }
        }
        if (!pushLimit) {
            settingsApplied = "pushLimitPer10Minutes not supported";
        }
        settingsApplied += defaultsOff ? ", securityDefaults=false" : ", securityDefaults unchanged";
        rp = admin.createRpClient("benchmark", 100_000);
        approvalDevices = seeder.usersWithDevices("approver", options.approvalUsers(), 1);
        approvalDevices.forEach(device -> freeApprovalUsers.add(device.username()));
    }

    /** The approval devices' channels, logged in to node A (opened on first use). */
    DeviceFleet fleet() {
        if (fleet == null) {
            fleet = new DeviceFleet(vertx, screen);
            Waits.await(fleet.connect(approvalDevices, nodeA.port(), 64), 120);
        }
        return fleet;
    }

    void closeFleet() {
        if (fleet != null) {
            Waits.await(fleet.closeAll(), 30);
            fleet.close();
            fleet = null;
        }
    }

    String databaseUrl() {
        return "postgresql://" + database.user() + ":" + URLEncoder.encode(database.password(), StandardCharsets.UTF_8)
                + "@" + database.host() + ":" + database.port() + "/" + database.database();
    }

    @Override
    public void close() {
        try {
            closeFleet();
        } catch (RuntimeException e) {
            System.err.println("bench: closing channels: " + e.getMessage());
        }
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        Waits.await(vertx.close(), 10);
        postgres.stop();
        if (!options.keepWorkDir()) {
            deleteTree(work);
        }
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not delete " + root + ": " + e.getMessage());
        }
    }
}
