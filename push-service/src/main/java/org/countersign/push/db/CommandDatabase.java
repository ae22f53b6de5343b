package org.countersign.push.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The database a maintenance command ({@code verify-audit}, {@code retire-secret-key}) works on: the one at
 * {@code --database-url}; or the embedded one of {@code --data-dir}, reached where the running service's server
 * listens (its port from {@code postmaster.pid}) and never restarted, or, when no service runs, started for the
 * command and stopped again at {@link #close()}.
 */
public final class CommandDatabase implements AutoCloseable {
    private final DatabaseSettings settings;
    private final EmbeddedPostgres startedHere;

    private CommandDatabase(DatabaseSettings settings, EmbeddedPostgres startedHere) {
        this.settings = settings;
        this.startedHere = startedHere;
    }

    public static CommandDatabase open(Optional<String> databaseUrl, Path dataDir) {
        if (databaseUrl.isPresent()) {
            return new CommandDatabase(DatabaseSettings.fromUrl(databaseUrl.get()), null);
        }
        ClusterFiles files = new ClusterFiles(dataDir);
        if (!files.clusterExists()) {
            throw new IllegalArgumentException("no embedded database in " + dataDir
                    + " (give the service's --data-dir, or --database-url)");
        }
        OptionalLong pid = files.postmasterPid();
        if (pid.isPresent() && files.isServerOfThisCluster(pid.getAsLong())) {
            try {
                List<String> lines = Files.readAllLines(files.postmasterPidFile(), StandardCharsets.UTF_8);
                int port = Integer.parseInt(lines.get(3).strip());
                String password = Files.readString(files.passwordFile(), StandardCharsets.UTF_8).strip();
                return new CommandDatabase(new DatabaseSettings(ClusterControl.HOST, port, EmbeddedPostgres.DATABASE,
                        EmbeddedPostgres.USER, password), null);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("the embedded PostgreSQL of " + dataDir + " runs but cannot be reached: "
                        + e.getMessage(), e);
            }
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.start(dataDir);
        return new CommandDatabase(postgres.settings(), postgres);
    }

    public DatabaseSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        if (startedHere != null) {
            startedHere.stop();
        }
    }
}
