package org.countersign.push;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.countersign.push.tls.TlsIdentity;

/**
 * The service's configuration, read once from flags and environment and validated at start
 * (ARCHITECTURE.md §8). The bootstrap admin's password comes from {@code COUNTERSIGN_ADMIN_PASSWORD} only.
 */
public record Config(String host, int port, Path dataDir, Optional<String> databaseUrl, URI publicUrl,
                     Optional<String> bootstrapAdmin, Optional<String> bootstrapPassword, String issuer,
                     Duration pingInterval, int httpInstances, int databasePoolSize,
                     int maxRequestsInFlight, Optional<TlsIdentity> tls, Duration overloadLatencyTarget,
                     int maxLongPolls) {
    /**
     * Requests one node serves at once by default, per database connection: most requests hold a connection for a
     * millisecond or two, while long polls hold none for up to a minute, so the bound is well above the pool size.
     */
    public static final int IN_FLIGHT_PER_CONNECTION = 64;

    /**
     * The default target of overload shedding by latency ({@code --overload-latency-target-ms}): new work is refused
     * once even the fastest request of a 100 ms interval took longer than this. A read or a check's create takes a
     * few milliseconds at light load, so 50 ms is about ten times the service time: well above scheduling and
     * garbage-collection hiccups (bursts, shorter than the interval, which the minimum ignores), and small enough
     * that the work admitted during an overload waits a fraction of a second, not the seconds of an unbounded queue.
     * Password hashing (Argon2, about 80 ms a hash on the two-core benchmark machine) is not measured, so it needs no
     * margin here.
     */
    public static final long DEFAULT_OVERLOAD_LATENCY_TARGET_MILLIS = 50;
    public static final Duration DEFAULT_OVERLOAD_LATENCY_TARGET =
            Duration.ofMillis(DEFAULT_OVERLOAD_LATENCY_TARGET_MILLIS);
    /**
     * Long polls one node holds at once by default ({@code --max-long-polls}). A long poll waits for a person (a
     * push is answered in seconds, and a relying party or sign-in page keeps one open meanwhile), holding a
     * connection and a waiter but no database connection, so they are bounded apart from the requests in flight:
     * at 1,000 approvals a second taking five seconds each, 5,000 polls wait at once. Each holds a file descriptor,
     * as device channels do.
     */
    public static final int DEFAULT_MAX_LONG_POLLS = 8_192;

    /** The highest target accepted: beyond it a request would rather time out waiting for a connection (3 s). */
    public static final Duration MAX_OVERLOAD_LATENCY_TARGET = Duration.ofSeconds(10);

    /**
     * Without TLS (plain HTTP, for loopback or behind a TLS-terminating proxy) and with the default bound on
     * requests in flight for this pool size.
     */
    public Config(String host, int port, Path dataDir, Optional<String> databaseUrl, URI publicUrl,
                  Optional<String> bootstrapAdmin, Optional<String> bootstrapPassword, String issuer,
                  Duration pingInterval, int httpInstances, int databasePoolSize) {
        this(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer, pingInterval,
                httpInstances, databasePoolSize, defaultMaxRequestsInFlight(databasePoolSize), Optional.empty());
    }

    /** With the default target of overload shedding by latency. */
    public Config(String host, int port, Path dataDir, Optional<String> databaseUrl, URI publicUrl,
                  Optional<String> bootstrapAdmin, Optional<String> bootstrapPassword, String issuer,
                  Duration pingInterval, int httpInstances, int databasePoolSize, int maxRequestsInFlight,
                  Optional<TlsIdentity> tls) {
        this(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer, pingInterval,
                httpInstances, databasePoolSize, maxRequestsInFlight, tls, DEFAULT_OVERLOAD_LATENCY_TARGET);
    }

    /** With the default bound on long polls. */
    public Config(String host, int port, Path dataDir, Optional<String> databaseUrl, URI publicUrl,
                  Optional<String> bootstrapAdmin, Optional<String> bootstrapPassword, String issuer,
                  Duration pingInterval, int httpInstances, int databasePoolSize, int maxRequestsInFlight,
                  Optional<TlsIdentity> tls, Duration overloadLatencyTarget) {
        this(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer, pingInterval,
                httpInstances, databasePoolSize, maxRequestsInFlight, tls, overloadLatencyTarget,
                DEFAULT_MAX_LONG_POLLS);
    }

    public static int defaultMaxRequestsInFlight(int databasePoolSize) {
        return Math.max(256, IN_FLIGHT_PER_CONNECTION * databasePoolSize);
    }

    /** The same configuration with another bound on requests in flight per node. */
    public Config withMaxRequestsInFlight(int max) {
        return new Config(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer,
                pingInterval, httpInstances, databasePoolSize, max, tls, overloadLatencyTarget, maxLongPolls);
    }

    /** The same configuration with another target of overload shedding by latency ({@link Duration#ZERO}: off). */
    public Config withOverloadLatencyTarget(Duration target) {
        return new Config(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer,
                pingInterval, httpInstances, databasePoolSize, maxRequestsInFlight, tls, target, maxLongPolls);
    }

    /** The same configuration with another bound on long polls per node. */
    public Config withMaxLongPolls(int max) {
        return new Config(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer,
                pingInterval, httpInstances, databasePoolSize, maxRequestsInFlight, tls, overloadLatencyTarget, max);
    }

    /** The same configuration serving HTTPS with {@code identity}. */
    public Config withTls(TlsIdentity identity) {
        return new Config(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer,
                pingInterval, httpInstances, databasePoolSize, maxRequestsInFlight, Optional.of(identity),
                overloadLatencyTarget, maxLongPolls);
    }

    public Config {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(bootstrapAdmin, "bootstrapAdmin");
        Objects.requireNonNull(bootstrapPassword, "bootstrapPassword");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(overloadLatencyTarget, "overloadLatencyTarget");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be 1..65535");
        }
        if (bootstrapAdmin.isPresent() && bootstrapPassword.isEmpty()) {
            throw new IllegalArgumentException("--bootstrap-admin needs the password in COUNTERSIGN_ADMIN_PASSWORD");
        }
        if (bootstrapPassword.isPresent() && bootstrapPassword.get().length() < 8) {
            throw new IllegalArgumentException("COUNTERSIGN_ADMIN_PASSWORD must be at least 8 characters");
        }
        if (issuer.isBlank() || issuer.length() > 64) {
            throw new IllegalArgumentException("--issuer must be 1..64 characters");
        }
        if (httpInstances < 1 || databasePoolSize < 1) {
            throw new IllegalArgumentException("instances and pool size must be positive");
        }
        if (maxRequestsInFlight < 1) {
            throw new IllegalArgumentException("--max-requests-in-flight must be positive");
        }
        if (maxLongPolls < 1) {
            throw new IllegalArgumentException("--max-long-polls must be positive");
        }
        if (overloadLatencyTarget.isNegative() || overloadLatencyTarget.compareTo(MAX_OVERLOAD_LATENCY_TARGET) > 0) {
            throw new IllegalArgumentException("--overload-latency-target-ms must be from 0 (off) to "
                    + MAX_OVERLOAD_LATENCY_TARGET.toMillis() + ", not " + overloadLatencyTarget.toMillis());
        }
    }

    @Override
    public String toString() {
        return "Config[" + host + ":" + port + ", dataDir=" + dataDir + ", publicUrl=" + publicUrl
                + ", database=" + (databaseUrl.isPresent() ? "external" : "embedded") + ", tls="
                + (tls.isPresent() ? "on" : "off") + ", passwords redacted]";
    }
}
