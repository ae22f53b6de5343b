package org.countersign.push.db;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The files of the embedded cluster under a service data directory {@code <dataDir>}:
 * <pre>
 * postgres-password          the superuser password (0600, owned by the service's user)
 * postgres/                  owned by the account that runs PostgreSQL, mode 0700
 *   data/                    the cluster (PGDATA); data.initializing/ while initdb runs
 *   data/countersign.conf    port and listen settings, rewritten at every start
 *   run/                     the unix socket directory
 *   server.log               the server's log (server.log.old after it passes 10 MiB)
 * </pre>
 */
final class ClusterFiles {

    /** Unix socket paths are limited to 107 bytes; longer socket directories are left out. */
    private static final int MAX_SOCKET_PATH = 107;
    private static final long LOG_ROTATE_BYTES = 10L * 1024 * 1024;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path dataDir;

    ClusterFiles(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
    }

    Path dataDir() {
        return dataDir;
    }

    Path passwordFile() {
        return dataDir.resolve("postgres-password");
    }

    Path root() {
        return dataDir.resolve("postgres");
    }

    Path pgdata() {
        return root().resolve("data");
    }

    Path initdbScratch() {
        return root().resolve("data.initializing");
    }

    Path socketDir() {
        return root().resolve("run");
    }

    Path serverLog() {
        return root().resolve("server.log");
    }

    Path postmasterPidFile() {
        return pgdata().resolve("postmaster.pid");
    }

    /** True once initdb has completed here (the cluster is moved into place only when it succeeded). */
    boolean clusterExists() {
        return Files.isRegularFile(pgdata().resolve("PG_VERSION"));
    }

    /**
     * The superuser password: read from {@link #passwordFile()}, or, before the first initdb, 32 random bytes
     * (base64url) written there with mode 0600.
     */
    String readOrCreatePassword(SecureRandom random) throws IOException {
        Path file = passwordFile();
        if (Files.exists(file)) {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (password.isEmpty()) {
                throw new EmbeddedPostgresException(file + " is empty; restore the PostgreSQL password it held.");
            }
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            return password;
        }
        if (clusterExists()) {
            throw new EmbeddedPostgresException("The PostgreSQL cluster in " + pgdata() + " exists but its password"
                    + " file " + file + " is missing. Restore that file, or delete " + root() + " to start with an"
                    + " empty database.");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        writeSecret(file, password);
        return password;
    }

    /** Creates {@code file} with mode 0600 holding {@code text}; fails if it exists. */
    static void writeSecret(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            throw new EmbeddedPostgresException(file + " already exists; another start may be under way.", e);
        }
        Files.writeString(file, text + "\n", StandardCharsets.UTF_8);
    }

    /** Makes the cluster's postgresql.conf read {@code countersign.conf} last, so those settings win. */
    static void includeCountersignSettings(Path clusterDir) throws IOException {
        Files.writeString(clusterDir.resolve("postgresql.conf"),
                "\n# Port and listen settings written by Countersign at every start.\ninclude = 'countersign.conf'\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Writes the settings of this start: 127.0.0.1 only, {@code port}, the socket directory under the data dir. */
    void writeSettings(int port, ServerUser serverUser) throws IOException {
        String socket = socketDir().toString();
        boolean socketFits = (socket + "/.s.PGSQL." + port).getBytes(StandardCharsets.UTF_8).length
                <= MAX_SOCKET_PATH;
        Path file = pgdata().resolve("countersign.conf");
        Files.writeString(file, String.join("\n", List.of(
                "# Written by Countersign at every start; changes here are overwritten.",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + (socketFits ? socket.replace("'", "''") : "") + "'",
                "unix_socket_permissions = 0700",
                "")), StandardCharsets.UTF_8);
        serverUser.own(file);
    }

    /** The pid in postmaster.pid, if the file exists and starts with one. */
    OptionalLong postmasterPid() {
        List<String> lines = postmasterPidLines();
        try {
            return lines.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(lines.get(0).strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Whether process {@code pid} is a server working in this cluster: on Linux, its working directory is the
     * cluster (a postmaster changes into its data directory), which tells a live server from a pid reused by an
     * unrelated process. Without {@code /proc} the answer is yes.
     */
    boolean isServerOfThisCluster(long pid) {
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return true;
        }
        try {
            return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd")).equals(pgdata().toRealPath());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Moves a large server log aside so that it does not grow without bound. */
    void rotateLogIfLarge() throws IOException {
        Path log = serverLog();
        if (Files.exists(log) && Files.size(log) > LOG_ROTATE_BYTES) {
            Files.move(log, root().resolve("server.log.old"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    long logSize() {
        try {
            return Files.exists(serverLog()) ? Files.size(serverLog()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last {@code lines} lines the server logged after byte {@code offset} (or of the whole log). */
    String logTail(long offset, int lines) {
        Path log = serverLog();
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = offset < file.length() ? offset : 0;
            byte[] bytes = new byte[(int) Math.min(file.length() - start, 256 * 1024)];
            file.seek(file.length() - bytes.length);
            file.readFully(bytes);
            List<String> all = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(the server log " + log + " cannot be read: " + e.getMessage() + ")";
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }

    private List<String> postmasterPidLines() {
        try {
            return Files.readAllLines(postmasterPidFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
