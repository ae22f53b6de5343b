package org.countersign.push;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The service's configuration, read once from flags and environment and validated at start
 * (ARCHITECTURE.md §8). The bootstrap admin's password comes from {@code COUNTERSIGN_ADMIN_PASSWORD} only.
 */
public record Config(String host, int port, Path dataDir, Optional<String> databaseUrl, URI publicUrl,
                     Optional<String> bootstrapAdmin, Optional<String> bootstrapPassword, String issuer,
                     Duration pingInterval, int httpInstances, int databasePoolSize,
                     int maxRequestsInFlight) {
    /**
     * Requests one node serves at once by default, per database connection: most requests hold a connection for a
     * millisecond or two, while long polls hold none for up to a minute, so the bound is well above the pool size.
     */
    public static final int IN_FLIGHT_PER_CONNECTION = 64;

    /** As the canonical constructor, with the default bound on requests in flight for this pool size. */
    public Config(String host, int port, Path dataDir, Optional<String> databaseUrl, URI publicUrl,
                  Optional<String> bootstrapAdmin, Optional<String> bootstrapPassword, String issuer,
                  Duration pingInterval, int httpInstances, int databasePoolSize) {
        this(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer, pingInterval,
                httpInstances, databasePoolSize, defaultMaxRequestsInFlight(databasePoolSize));
    }

    public static int defaultMaxRequestsInFlight(int databasePoolSize) {
        return Math.max(256, IN_FLIGHT_PER_CONNECTION * databasePoolSize);
    }

    /** The same configuration with another bound on requests in flight per node. */
    public Config withMaxRequestsInFlight(int max) {
        return new Config(host, port, dataDir, databaseUrl, publicUrl, bootstrapAdmin, bootstrapPassword, issuer,
                pingInterval, httpInstances, databasePoolSize, max);
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
    }

    @Override
    public String toString() {
        return "Config[" + host + ":" + port + ", dataDir=" + dataDir + ", publicUrl=" + publicUrl
                + ", database=" + (databaseUrl.isPresent() ? "external" : "embedded") + ", passwords redacted]";
    }
}
