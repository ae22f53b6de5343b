package org.countersign.push.db;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The directory holding the PostgreSQL server programs {@code initdb}, {@code pg_ctl} and {@code postgres}.
 *
 * <p>{@link #locate()} looks, in order: in the directory named by {@code COUNTERSIGN_PG_BIN} (when set, it is the
 * only place looked at); in the highest version of {@code /usr/lib/postgresql/<version>/bin} that holds all three
 * (the Debian and Ubuntu layout); in the first {@code PATH} directory that holds all three. No version is
 * preferred over another except by number.
 */
public final class PostgresBinaries {

    /** Environment variable naming the directory of the server programs. */
    public static final String BIN_ENV = "COUNTERSIGN_PG_BIN";

    static final Path DEBIAN_VERSIONS_ROOT = Path.of("/usr/lib/postgresql");

    private static final List<String> PROGRAMS = List.of("initdb", "pg_ctl", "postgres");

    private final Path directory;

    private PostgresBinaries(Path directory) {
        this.directory = directory;
    }

    /**
     * Finds the server programs as described above, using this process's environment.
     *
     * @throws PostgresNotFoundException when none of the places holds all three programs
     */
    public static PostgresBinaries locate() {
        return locate(System.getenv());
    }

    /** As {@link #locate()}, reading {@code COUNTERSIGN_PG_BIN} and {@code PATH} from {@code environment}. */
    public static PostgresBinaries locate(Map<String, String> environment) {
        return locate(environment, DEBIAN_VERSIONS_ROOT);
    }

    static PostgresBinaries locate(Map<String, String> environment, Path versionsRoot) {
        String configured = environment.get(BIN_ENV);
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured.trim());
            List<String> missing = missingPrograms(dir);
            if (!missing.isEmpty()) {
                throw new PostgresNotFoundException(BIN_ENV + " is set to " + dir + ", but " + String.join(", ", missing)
                        + (missing.size() == 1 ? " is" : " are") + " not there. " + advice());
            }
            return new PostgresBinaries(dir);
        }
        return highestVersionUnder(versionsRoot)
                .or(() -> firstOnPath(environment.getOrDefault("PATH", "")))
                .orElseThrow(() -> new PostgresNotFoundException("The PostgreSQL server programs (initdb, pg_ctl,"
                        + " postgres) were not found in " + versionsRoot + "/<version>/bin nor on the PATH. "
                        + advice()));
    }

    /** The directory holding the three programs. */
    public Path directory() {
        return directory;
    }

    public Path initdb() {
        return directory.resolve("initdb");
    }

    public Path pgCtl() {
        return directory.resolve("pg_ctl");
    }

    public Path postgres() {
        return directory.resolve("postgres");
    }

    @Override
    public String toString() {
        return "PostgresBinaries[" + directory + "]";
    }

    private static Optional<PostgresBinaries> highestVersionUnder(Path versionsRoot) {
        if (!Files.isDirectory(versionsRoot)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(versionsRoot)) {
            return versions
                    .filter(dir -> version(dir.getFileName().toString()) != null)
                    .map(dir -> dir.resolve("bin"))
                    .filter(bin -> missingPrograms(bin).isEmpty())
                    .max(Comparator.comparing(bin -> version(bin.getParent().getFileName().toString()),
                            PostgresBinaries::compareVersions))
                    .map(PostgresBinaries::new);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<PostgresBinaries> firstOnPath(String path) {
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .filter(dir -> missingPrograms(dir).isEmpty())
                .findFirst()
                .map(PostgresBinaries::new);
    }

    private static List<String> missingPrograms(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String program : PROGRAMS) {
            Path file = dir.resolve(program);
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
                missing.add(program);
            }
        }
        return missing;
    }

    /** "15" → [15], "9.6" → [9, 6]; null when the name is not a version. */
    private static int[] version(String name) {
        if (!name.matches("\\d{1,6}(\\.\\d{1,6})*")) {
            return null;
        }
        return Arrays.stream(name.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    private static int compareVersions(int[] a, int[] b) {
        return Arrays.compare(a, b);
    }

    private static String advice() {
        return "Install the PostgreSQL server (Debian/Ubuntu: apt-get install -y postgresql), set " + BIN_ENV
                + " to the directory holding initdb, pg_ctl and postgres, or use an existing server with"
                + " --database-url postgresql://user:password@host:5432/countersign.";
    }
}
