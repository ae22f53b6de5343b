package org.countersign.push.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.countersign.push.crypto.KeyRing;
import org.countersign.push.crypto.KeyRingFile;
import org.countersign.push.db.CommandDatabase;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.rotation.SecretKeyQueries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code push-service.jar retire-secret-key --key-id ID}: removes a key from the key ring file once no TOTP secret
 * needs it. It refuses while any secret is sealed with that key or is still in the version 1 format (which names no
 * key), and it never removes the primary key.
 */
@Command(name = "retire-secret-key", mixinStandardHelpOptions = true,
        description = "Removes a key from the key ring once no TOTP secret is sealed with it.")
public final class RetireSecretKeyCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--key-id", required = true, description = "The id (8 hex digits) of the key to retire.")
    String keyId;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path file = KeyRingFile.path(database.dataDir());
        if (!Files.exists(file)) {
            return fail("no key ring at " + file);
        }
        KeyRing ring = KeyRingFile.read(file);
        Optional<KeyRing.Key> key = ring.find(keyId);
        if (key.isEmpty()) {
            return fail("the key ring has no key " + keyId);
        }
        if (key.get().role() == KeyRing.Role.PRIMARY) {
            return fail("key " + keyId + " is the primary key; rotate first (rotate-secret-key)");
        }
        Map<String, Long> rows;
        try (CommandDatabase db = database.open()) {
            rows = rowsByKey(db.settings());
        } catch (SQLException e) {
            return fail("cannot count the secrets per key: " + e.getMessage());
        }
        long sealedWithIt = rows.getOrDefault(keyId, 0L);
        long unversioned = rows.getOrDefault(SecretKeyQueries.UNVERSIONED, 0L);
        if (sealedWithIt > 0 || unversioned > 0) {
            return fail("refusing: " + sealedWithIt + " TOTP secret(s) are still sealed with key " + keyId + " and "
                    + unversioned + " are in the old format that names no key. Let the running service re-encrypt "
                    + "them (GET /api/v1/admin/secret-keys shows \"pending\"), then try again.");
        }
        KeyRingFile.write(file, ring.without(keyId));
        spec.commandLine().getOut().println("retired key " + keyId + "; no TOTP secret was sealed with it.");
        return 0;
    }

    private int fail(String message) {
        spec.commandLine().getErr().println("retire-secret-key: " + message);
        return 1;
    }

    static Map<String, Long> rowsByKey(DatabaseSettings settings) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.user(),
                settings.password());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(SecretKeyQueries.COUNT_BY_KEY)) {
            while (rows.next()) {
                counts.put(rows.getString("key_id"), rows.getLong("n"));
            }
        }
        return counts;
    }
}
