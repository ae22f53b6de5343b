package org.countersign.push.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database's schema up to date with the versioned migrations in {@code db/migration} on the classpath.
 *
 * <p>Already applied migrations are validated against their files first (a changed file stops the start), and
 * Flyway's {@code clean} is disabled so that nothing here can drop a schema. Blocking: run it at start, before
 * Vert.x serves anything.
 */
public final class Migrations {

    /** Where the migration scripts live: {@code src/main/resources/db/migration/V<n>__<description>.sql}. */
    public static final String LOCATION = "classpath:db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /**
     * Applies the pending migrations to the database of {@code settings}.
     *
     * @return how many migrations were applied now (0 when the schema was current)
     * @throws org.flywaydb.core.api.FlywayException when a migration fails (its transaction is rolled back) or an
     *     applied migration no longer matches its file
     */
    public static int apply(DatabaseSettings settings) {
        Flyway flyway = Flyway.configure()
                .dataSource(settings.jdbcUrl(), settings.user(), settings.password())
                .locations(LOCATION)
                .validateOnMigrate(true)
                .cleanDisabled(true)
                .load();
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted == 0) {
            LOG.info("Database {}: schema is up to date", settings.database());
        } else {
            LOG.info("Database {}: applied {} migration(s), schema now at version {}", settings.database(),
                    result.migrationsExecuted, result.targetSchemaVersion);
        }
        return result.migrationsExecuted;
    }
}
