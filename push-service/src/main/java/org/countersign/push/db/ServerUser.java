package org.countersign.push.db;

import com.sun.security.auth.module.UnixSystem;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The operating-system account that runs the PostgreSQL programs, and the way to run them as it.
 *
 * <p>PostgreSQL refuses to run as root. When this JVM is not root, the programs simply run as the current user
 * and nothing changes hands. When it is root, they run through {@code runuser -u <account> --} as
 * {@code postgres} if that account exists (the Debian package creates it), else as {@code nobody}; the directories
 * PostgreSQL writes are handed to that account, and it must be able to reach the data directory.
 */
final class ServerUser {

    private static final List<String> ACCOUNTS_FOR_ROOT = List.of("postgres", "nobody");

    private final String name;
    private final UserPrincipal principal;

    private ServerUser(String name, UserPrincipal principal) {
        this.name = name;
        this.principal = principal;
    }

    /** The account for this process: itself when not root, else {@code postgres} or {@code nobody}. */
    static ServerUser forThisProcess() {
        if (new UnixSystem().getUid() != 0) {
            return new ServerUser(System.getProperty("user.name"), null);
        }
        for (String account : ACCOUNTS_FOR_ROOT) {
            try {
                return new ServerUser(account,
                        Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(account));
            } catch (UserPrincipalNotFoundException e) {
                // try the next account
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new EmbeddedPostgresException("This process runs as root, which PostgreSQL refuses, and neither a"
                + " 'postgres' nor a 'nobody' account exists to run it as. Install the server package (Debian/Ubuntu:"
                + " apt-get install -y postgresql, which creates 'postgres'), or run the service as a non-root user.");
    }

    String name() {
        return name;
    }

    /** True when commands run as another account than this process (this process is root). */
    boolean switchesUser() {
        return principal != null;
    }

    /**
     * Runs {@code command} as this account in {@code workingDirectory}, which it must be able to enter. Standard
     * input is empty; output and errors are returned together. {@code PG*} variables of this process are not
     * passed on, so they cannot redirect the programs to another server.
     *
     * @throws EmbeddedPostgresException when the command cannot start or outlives {@code timeout}
     */
    CommandResult run(List<String> command, Path workingDirectory, Duration timeout) {
        List<String> full = new ArrayList<>();
        if (switchesUser()) {
            full.addAll(List.of(runuser(), "-u", name, "--"));
        }
        full.addAll(command);
        Path output = null;
        try {
            output = Files.createTempFile("countersign-pg-command", ".out");
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("PG"));
            builder.environment().put("LC_ALL", "C");
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedPostgresException(String.join(" ", command) + " did not finish within "
                        + timeout.toSeconds() + " s.");
            }
            return new CommandResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new EmbeddedPostgresException("Could not run " + full.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedPostgresException("Interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(output);
        }
    }

    /** Makes this account the owner of {@code path} (not following links); nothing when not switching users. */
    void own(Path path) throws IOException {
        if (switchesUser()) {
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(principal);
        }
    }

    /** As {@link #own}, for {@code root} and everything under it, when {@code root} belongs to someone else. */
    void ownTree(Path root) throws IOException {
        if (!switchesUser() || Files.getOwner(root, LinkOption.NOFOLLOW_LINKS).equals(principal)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                own(path);
            }
        }
    }

    /**
     * Checks that this account can enter {@code directory}, i.e. search every directory on the way to it.
     *
     * @throws EmbeddedPostgresException naming the first directory it cannot enter and suggesting another
     *     {@code --data-dir}; permissions of the ancestors are left as they are
     */
    void checkCanReach(Path directory) {
        if (!switchesUser() || canEnter(directory)) {
            return;
        }
        Path blocked = directory;
        Path prefix = directory.getRoot();
        for (Path part : directory) {
            prefix = prefix.resolve(part);
            if (!canEnter(prefix)) {
                blocked = prefix;
                break;
            }
        }
        throw new EmbeddedPostgresException("This process runs as root, so PostgreSQL runs as the '" + name
                + "' user, but '" + name + "' cannot reach the data directory " + directory + " (it may not enter "
                + blocked + "). Choose a --data-dir that '" + name + "' can reach, for example /var/lib/countersign,"
                + " grant it access to " + blocked + " yourself, or run the service as a non-root user.");
    }

    private boolean canEnter(Path directory) {
        return run(List.of("test", "-x", directory.toString()), Path.of("/"), Duration.ofSeconds(30)).exitCode() == 0;
    }

    private static String runuser() {
        for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new EmbeddedPostgresException("This process runs as root and must start PostgreSQL as another user,"
                + " but the runuser program (package util-linux) is not installed.");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover temporary file is harmless
            }
        }
    }

    /** What a finished command returned: its exit code and its output and errors, trimmed. */
    record CommandResult(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }
}
