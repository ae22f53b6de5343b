package org.countersign.push;

import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.countersign.push.commands.RetireSecretKeyCommand;
import org.countersign.push.commands.RotateSecretKeyCommand;
import org.countersign.push.commands.VerifyAuditCommand;
import org.countersign.push.crypto.ServiceKey;
import org.countersign.push.db.DatabasePool;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.db.EmbeddedPostgres;
import org.countersign.push.db.Migrations;
import org.countersign.push.tls.TlsIdentity;
import org.countersign.push.tls.TlsOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar push-service.jar}: starts the Countersign push service (ARCHITECTURE.md §8). */
@Command(name = "push-service", mixinStandardHelpOptions = true, version = "Countersign push service 0.1.0",
        subcommands = {VerifyAuditCommand.class, RotateSecretKeyCommand.class, RetireSecretKeyCommand.class},
        description = "Runs the Countersign push service. Without --database-url it starts its own PostgreSQL "
                + "from the locally installed server binaries, with its data under --data-dir.")
public final class Main implements Callable<Integer> {
    static final String ADMIN_PASSWORD_ENV = "COUNTERSIGN_ADMIN_PASSWORD";

    @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}).", defaultValue = "8080")
    int port;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).",
            defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--data-dir", description = "Where the service keeps its key and embedded database "
            + "(default: /var/lib/countersign as root, else ~/.local/share/countersign).")
    Path dataDir;

    @Option(names = "--database-url", description = "postgresql://user:password@host:port/database of an "
            + "external PostgreSQL; without it the service runs its own.")
    String databaseUrl;

    @Option(names = "--public-url", description = "The address people and devices reach the service at "
            + "(default: http://localhost:<port>).")
    URI publicUrl;

    @Option(names = "--bootstrap-admin", description = "Creates this admin if no admin exists; the password "
            + "comes from " + ADMIN_PASSWORD_ENV + ".")
    String bootstrapAdmin;

    @Option(names = "--issuer", description = "Organisation name shown in authenticator apps (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "Countersign")
    String issuer;

    @Option(names = "--instances", description = "HTTP event-loop instances (default: one per core).")
    Integer instances;

    @Option(names = "--database-pool-size", description = "PostgreSQL connections of this node (default: "
            + DEFAULT_POOL_PER_CORE + " per core, at least " + MIN_POOL + "; more when PostgreSQL runs on a machine "
            + "of its own).")
    Integer databasePoolSize;

    @Option(names = "--max-requests-in-flight", description = "Requests served at once, long polls apart; more are "
            + "refused with 503 and Retry-After (default: 64 per database connection, at least 256).")
    Integer maxRequestsInFlight;

    @Option(names = "--max-long-polls", description = "Long polls (a waitSeconds other than 0) held at once; more "
            + "are refused with 503 and Retry-After (default: ${DEFAULT-VALUE}).",
            defaultValue = "" + Config.DEFAULT_MAX_LONG_POLLS)
    int maxLongPolls;

    @Option(names = "--overload-latency-target-ms", description = "New sign-ins and checks are refused with 503 "
            + "and Retry-After while even the fastest requests of a whole 100 ms take longer than this; 0 turns it off "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "" + Config.DEFAULT_OVERLOAD_LATENCY_TARGET_MILLIS)
    long overloadLatencyTargetMillis;

    @Option(names = "--tls-cert", description = "PEM certificate chain (leaf first): serve HTTPS with it.")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key (unencrypted, PKCS#8, PKCS#1 or SEC1) of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-self-signed", description = "Serve HTTPS with a self-signed certificate for the public "
            + "URL's host, created once in <data-dir>/tls; devices trust it through the pin in the QR code.")
    boolean tlsSelfSigned;

    /**
     * Connections per core by default. With PostgreSQL on the same cores (the embedded default), fewer busy backends
     * do the same work with less CPU: 4 connections instead of 8 on two cores cut PostgreSQL's CPU per approval by
     * 15-20 % and raised the peak by about 10 %, and 16 per core gained nothing (docs/performance.md).
     */
    static final int DEFAULT_POOL_PER_CORE = 2;
    static final int MIN_POOL = 4;

    public static void main(String[] args) {
        int exit = commandLine().execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    /** The command line as {@link #main} runs it: a failure to start is one line on standard error and exit 1. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("push-service: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        return commandLine;
    }

    @Override
    public Integer call() throws IOException {
        Config config = config();
        createDataDir(config.dataDir());
        SecureRandom random = new SecureRandom();
        ServiceKey.Source keys = ServiceKey.load(System.getenv(), config.dataDir(), random);

        DatabaseSettings database;
        Shutdown shutdown = new Shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::run, "countersign-shutdown"));
        if (config.databaseUrl().isPresent()) {
            database = DatabaseSettings.fromUrl(config.databaseUrl().get());
        } else {
            System.out.println("Starting the embedded PostgreSQL in " + config.dataDir().resolve("postgres") + " ...");
            EmbeddedPostgres embedded = EmbeddedPostgres.start(config.dataDir());
            shutdown.postgres = embedded;
            database = embedded.settings();
        }
        Migrations.apply(database);

        Vertx vertx = ServiceVertx.create();
        Pool pool = DatabasePool.create(vertx, database, config.databasePoolSize());
        CountersignServer server = new CountersignServer(vertx, pool, config, keys.ring(), keys.file(), Clock.systemUTC(),
                random);
        server.joinCluster(database.connectOptions());
        shutdown.vertx = vertx;
        shutdown.server = server;
        boolean created;
        try {
            created = server.start().await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not start: " + e.getMessage(), e);
        }
        announce(System.out, config, created, ServiceVertx.transport(vertx));
        return 0;
    }

    /**
     * Stops what was started, in reverse order, whatever point the start reached: a failed migration must not
     * leave the embedded PostgreSQL running.
     */
    private static final class Shutdown {
        volatile CountersignServer server;
        volatile Vertx vertx;
        volatile EmbeddedPostgres postgres;

        void run() {
            try {
                if (server != null) {
                    server.close().await(5, TimeUnit.SECONDS);
                }
                if (vertx != null) {
                    vertx.close().await(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                System.err.println("push-service: shutdown: " + e.getMessage());
            }
            if (postgres != null) {
                postgres.stop();
            }
        }
    }

    /** A new data directory is enterable but not listable by others, so the PostgreSQL account can reach its part. */
    private static void createDataDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        }
    }

    private Config config() throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        boolean tls = TlsOptions.wanted(tlsCert, tlsKey, tlsSelfSigned);
        URI url = publicUrl != null ? publicUrl : URI.create((tls ? "https" : "http") + "://localhost:" + port);
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        Optional<TlsIdentity> identity = Optional.empty();
        if (tls) {
            createDataDir(dir);
            identity = Optional.of(TlsOptions.identity(tlsCert, tlsKey, dir, url));
        }
        int poolSize = databasePoolSize != null ? databasePoolSize : Math.max(MIN_POOL, DEFAULT_POOL_PER_CORE * cores);
        return new Config(host, port, dir, Optional.ofNullable(databaseUrl), url, Optional.ofNullable(bootstrapAdmin),
                Optional.ofNullable(bootstrapAdmin == null ? null : System.getenv(ADMIN_PASSWORD_ENV)), issuer,
                Duration.ofSeconds(30), instances != null ? instances : cores, poolSize,
                maxRequestsInFlight != null ? maxRequestsInFlight : Config.defaultMaxRequestsInFlight(poolSize),
                identity, Duration.ofMillis(overloadLatencyTargetMillis), maxLongPolls);
    }

    public static Path defaultDataDir() {
        if ("root".equals(System.getProperty("user.name"))) {
            return Path.of("/var/lib/countersign");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("countersign");
    }

    private static void announce(PrintStream out, Config config, boolean adminCreated, String transport) {
        String url = config.publicUrl().toString();
        out.println();
        out.println("Countersign is running at " + url);
        out.println("  data directory: " + config.dataDir());
        out.println("  network transport: " + transport);
        config.tls().ifPresent(tls -> out.println("  HTTPS, TLS key pin (in every enrollment QR code): " + tls.pin()));
        if (adminCreated) {
            out.println("  created the admin '" + config.bootstrapAdmin().orElseThrow() + "'");
        }
        out.println();
        out.println("Next:");
        out.println("  1. Open " + url + "/sign-in and sign in as '" + config.bootstrapAdmin().orElse("admin")
                + "' (the password from " + ADMIN_PASSWORD_ENV + ").");
        out.println("  2. Security info (" + url + "/my/security-info) registers the Authenticator app: "
                + "`java -jar authenticator-app/target/authenticator.jar init`, then scan its QR code.");
        out.println("  3. Admins create users and set who must use MFA at " + url + "/admin (or /api/v1/admin/*).");
        out.println("  Health: " + url + "/health    Stop: Ctrl+C");
    }
}
