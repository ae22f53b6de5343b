package org.countersign.push.db;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code initdb} and {@code pg_ctl} on one cluster, as the {@link ServerUser}: the steps of
 * {@link EmbeddedPostgres#start} and {@link EmbeddedPostgres#stop}. Every failure is an
 * {@link EmbeddedPostgresException} that carries the programs' output or the end of the server log.
 */
final class ClusterControl {

    static final String HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Duration SERVER_WAIT = Duration.ofSeconds(60);
    private static final Duration COMMAND_TIMEOUT = SERVER_WAIT.plusSeconds(30);
    private static final int PORT_ATTEMPTS = 3;

    private final ClusterFiles files;
    private final PostgresBinaries binaries;
    private final ServerUser serverUser;

    ClusterControl(ClusterFiles files, PostgresBinaries binaries, ServerUser serverUser) {
        this.files = files;
        this.binaries = binaries;
        this.serverUser = serverUser;
    }

    ServerUser serverUser() {
        return serverUser;
    }

    /**
     * Creates the data directory and the cluster's directories, handing the latter to the server's account. The
     * directories created here (never existing ones) are made traversable by others, so that a restrictive umask
     * of root does not lock the server's account out; then the account must be able to reach the data directory.
     */
    void prepareDirectories() throws IOException {
        Path dataDir = files.dataDir();
        Path firstCreated = dataDir;
        while (firstCreated.getParent() != null && !Files.exists(firstCreated.getParent())) {
            firstCreated = firstCreated.getParent();
        }
        boolean creating = !Files.exists(dataDir);
        Files.createDirectories(dataDir);
        if (creating && serverUser.switchesUser()) {
            for (Path dir = dataDir; dir.startsWith(firstCreated); dir = dir.getParent()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            }
        }
        serverUser.checkCanReach(dataDir);
        for (Path dir : List.of(files.root(), files.socketDir())) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
        serverUser.ownTree(files.root());
    }

    /** Runs initdb in a scratch directory and moves the result into place, so a half-made cluster never counts. */
    void initialise(String superuser, String password) throws IOException {
        Path pgdata = files.pgdata();
        if (Files.isDirectory(pgdata)) {
            try (Stream<Path> entries = Files.list(pgdata)) {
                if (entries.findAny().isPresent()) {
                    throw new EmbeddedPostgresException(pgdata + " exists but holds no PostgreSQL cluster. Move it"
                            + " away (or delete it if it holds nothing of value) and start again.");
                }
            }
            Files.delete(pgdata);
        }
        Path scratch = files.initdbScratch();
        ClusterFiles.deleteTree(scratch);
        Path passwordFile = files.root().resolve("initdb-password");
        Files.deleteIfExists(passwordFile);
        ClusterFiles.writeSecret(passwordFile, password);
        serverUser.own(passwordFile);
        LOG.info("Creating a PostgreSQL cluster in {} (first start)", pgdata);
        ServerUser.CommandResult result;
        try {
            result = serverUser.run(List.of(binaries.initdb().toString(), "-D", scratch.toString(),
                    "-E", "UTF8", "--locale=C", "-U", superuser, "--pwfile=" + passwordFile,
                    "--auth-host=scram-sha-256", "--auth-local=scram-sha-256"), files.root(), COMMAND_TIMEOUT);
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        if (!result.succeeded()) {
            throw new EmbeddedPostgresException("initdb failed (exit code " + result.exitCode() + "):\n"
                    + result.output());
        }
        ClusterFiles.includeCountersignSettings(scratch);
        Files.move(scratch, pgdata, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Stops a server still running on the cluster (left by a killed process). A postmaster.pid whose process is
     * gone is left for the server to replace; one whose pid now belongs to an unrelated process is removed.
     */
    void stopLeftoverServer() throws IOException {
        OptionalLong pid = files.postmasterPid();
        if (pid.isEmpty() || !pgCtl("status").succeeded()) {
            return;
        }
        if (!files.isServerOfThisCluster(pid.getAsLong())) {
            LOG.warn("Removing stale {}: process {} is not a server of this cluster", files.postmasterPidFile(),
                    pid.getAsLong());
            Files.delete(files.postmasterPidFile());
            return;
        }
        LOG.info("A PostgreSQL server (pid {}) is still running in {}, probably left by an earlier run;"
                + " stopping it to start afresh", pid.getAsLong(), files.pgdata());
        ServerUser.CommandResult stop = stopServer();
        if (!stop.succeeded()) {
            throw new EmbeddedPostgresException("A PostgreSQL server (pid " + pid.getAsLong() + ") is running in "
                    + files.pgdata() + " and could not be stopped: " + stop.output());
        }
    }

    /**
     * Starts the server on a free port of 127.0.0.1 and waits until it accepts connections, trying another port
     * if the chosen one was taken meanwhile.
     *
     * @return the port
     */
    int startServer() throws IOException {
        files.rotateLogIfLarge();
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            files.writeSettings(port, serverUser);
            long logOffset = files.logSize();
            ServerUser.CommandResult result = pgCtl("start", "-l", files.serverLog().toString(), "-w", "-t",
                    Long.toString(SERVER_WAIT.toSeconds()));
            if (result.succeeded()) {
                return port;
            }
            String logTail = files.logTail(logOffset, 30);
            if (attempt < PORT_ATTEMPTS && logTail.contains("could not bind")) {
                LOG.info("Port {} was taken before PostgreSQL could bind it; trying another", port);
                continue;
            }
            throw new EmbeddedPostgresException("PostgreSQL did not start (pg_ctl exit code " + result.exitCode()
                    + "): " + result.output() + "\nLast lines of " + files.serverLog() + ":\n" + logTail);
        }
    }

    /** {@code pg_ctl stop -m fast -w}: closes connections, keeps committed data. */
    ServerUser.CommandResult stopServer() {
        return pgCtl("stop", "-m", "fast", "-w", "-t", Long.toString(SERVER_WAIT.toSeconds()));
    }

    private ServerUser.CommandResult pgCtl(String action, String... options) {
        List<String> command = new ArrayList<>(List.of(binaries.pgCtl().toString(), action, "-D",
                files.pgdata().toString()));
        command.addAll(List.of(options));
        return serverUser.run(command, files.root(), COMMAND_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }
}
