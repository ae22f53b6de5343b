package org.countersign.push.commands;

import java.nio.file.Path;
import java.util.Optional;
import org.countersign.push.Main;
import org.countersign.push.db.CommandDatabase;
import picocli.CommandLine.Option;

/** {@code --data-dir} and {@code --database-url}, as the service itself takes them. */
public final class DatabaseOptions {
    @Option(names = "--data-dir", description = "The service's data directory (default: as the service's).")
    Path dataDir;

    @Option(names = "--database-url", description = "postgresql://user:password@host:port/database of an external "
            + "PostgreSQL; without it, the embedded one of --data-dir.")
    String databaseUrl;

    Path dataDir() {
        return dataDir != null ? dataDir : Main.defaultDataDir();
    }

    CommandDatabase open() {
        return CommandDatabase.open(Optional.ofNullable(databaseUrl), dataDir());
    }
}
