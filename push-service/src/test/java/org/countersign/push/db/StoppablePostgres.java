package org.countersign.push.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A PostgreSQL cluster of its own for a test that takes the database away: it is stopped as a crash would stop
 * it ({@code pg_ctl stop -m immediate}) and started again on the same port, which {@link EmbeddedPostgres} (a free
 * port at every start) does not offer. Not the shared {@code TestPostgres}, which other test classes use meanwhile.
 */
public final class StoppablePostgres implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Path dir;
    private final ClusterFiles files;
    private final ServerUser serverUser = ServerUser.forThisProcess();
    private final PostgresBinaries binaries = PostgresBinaries.locate();
    private final DatabaseSettings settings;

    private StoppablePostgres(Path dir, EmbeddedPostgres first) {
        this.dir = dir;
        this.files = new ClusterFiles(dir);
        this.settings = first.settings();
    }

    /** Creates and starts a new cluster in a new temporary directory. */
    public static StoppablePostgres start() {
        try {
            Path dir = Files.createTempDirectory("countersign-outage-pg");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            return new StoppablePostgres(dir, EmbeddedPostgres.start(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The service database, as the superuser. */
    public DatabaseSettings settings() {
        return settings;
    }

    /** Stops the server at once, without a checkpoint, closing every connection (as a crash or power loss). */
    public void crash() {
        pgCtl("stop", "-m", "immediate", "-w");
    }

    /** Starts the stopped server again, on the same port, and waits until it accepts connections. */
    public void restart() {
        pgCtl("start", "-w", "-l", files.serverLog().toString());
    }

    private void pgCtl(String action, String... options) {
        List<String> command = new ArrayList<>(List.of(binaries.pgCtl().toString(), action, "-D",
                files.pgdata().toString(), "-t", Long.toString(WAIT.toSeconds())));
        command.addAll(List.of(options));
        ServerUser.CommandResult result = serverUser.run(command, files.root(), WAIT.plusSeconds(10));
        if (!result.succeeded()) {
            throw new IllegalStateException("pg_ctl " + action + " failed: " + result.output() + "\n"
                    + files.logTail(0, 20));
        }
    }

    @Override
    public void close() {
        if (files.postmasterPid().isPresent()) {
            serverUser.run(List.of(binaries.pgCtl().toString(), "stop", "-m", "fast", "-w", "-D",
                    files.pgdata().toString()), files.root(), WAIT);
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("Could not delete " + dir + ": " + e.getMessage());
        }
    }
}
