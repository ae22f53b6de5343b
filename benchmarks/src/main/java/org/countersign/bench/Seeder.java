package org.countersign.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.countersign.protocol.DeviceSigner;
import org.countersign.push.crypto.SecretBox;
import org.countersign.push.db.DatabaseSettings;

/**
 * Setup, not measured: writes users and verified devices straight into PostgreSQL, because registering thousands
 * of devices through the API would spend minutes on Argon2 and test notifications. The rows are what the service
 * itself writes: one shared Argon2id hash for every user, the public key of an Ed25519 pair the generator keeps,
 * and a TOTP secret sealed with the service's {@link SecretBox} key and the row's ids as associated data.
 */
public final class Seeder {
    private static final int BATCH = 1000;

    private final DatabaseSettings database;
    private final SecretBox secrets;
    private final String passwordHash;
    private final SecureRandom random;

    public Seeder(DatabaseSettings database, SecretBox secrets, String passwordHash, SecureRandom random) {
        this.database = database;
        this.secrets = secrets;
        this.passwordHash = passwordHash;
        this.random = random;
    }

    /** {@code users} users named {@code prefix-N}, without devices. */
    public List<String> users(String prefix, int users, String mfaState) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = connect();
                PreparedStatement insert = connection.prepareStatement(userInsert())) {
            for (int i = 0; i < users; i++) {
                String name = prefix + "-" + i;
                addUser(insert, UUID.randomUUID(), name, mfaState);
                names.add(name);
                if (names.size() % BATCH == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        return names;
    }

    /** {@code users} users with MFA enforced, each with {@code devicesPerUser} verified devices. */
    public List<SimDevice> usersWithDevices(String prefix, int users, int devicesPerUser) throws SQLException {
        List<SimDevice> seeded = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection connection = connect();
                PreparedStatement userRows = connection.prepareStatement(userInsert());
                PreparedStatement deviceRows = connection.prepareStatement("INSERT INTO devices (id, user_id, name, "
                        + "platform, key_alg, public_key, totp_secret, totp_algorithm, totp_digits, totp_period, "
                        + "state, created_at, verified_at) VALUES (?, ?, ?, 'benchmark', 'Ed25519', ?, ?, 'SHA1', 6, "
                        + "30, 'verified', ?, ?)")) {
            for (int u = 0; u < users; u++) {
                UUID userId = UUID.randomUUID();
                String name = prefix + "-" + u;
                addUser(userRows, userId, name, "enforced");
                for (int d = 0; d < devicesPerUser; d++) {
                    UUID deviceId = UUID.randomUUID();
                    DeviceSigner signer = DeviceSigner.generate(random);
                    byte[] totpSecret = new byte[20];
                    random.nextBytes(totpSecret);
                    deviceRows.setObject(1, deviceId);
                    deviceRows.setObject(2, userId);
                    deviceRows.setString(3, "bench phone " + d);
                    deviceRows.setString(4, signer.publicKey().base64Url());
                    deviceRows.setBytes(5, secrets.seal(totpSecret, userId.toString(), deviceId.toString()));
                    deviceRows.setTimestamp(6, now);
                    deviceRows.setTimestamp(7, now);
                    deviceRows.addBatch();
                    seeded.add(new SimDevice(deviceId, userId, name, signer));
                }
                if ((u + 1) % BATCH == 0) {
                    userRows.executeBatch();
                    deviceRows.executeBatch();
                }
            }
            userRows.executeBatch();
            deviceRows.executeBatch();
        }
        return seeded;
    }

    private static String userInsert() {
        return "INSERT INTO users (id, username, display_name, role, password_hash, mfa_state, created_at) "
                + "VALUES (?, ?, ?, 'user', ?, ?, ?)";
    }

    private void addUser(PreparedStatement insert, UUID id, String name, String mfaState) throws SQLException {
        insert.setObject(1, id);
        insert.setString(2, name);
        insert.setString(3, name);
        insert.setString(4, passwordHash);
        insert.setString(5, mfaState);
        insert.setTimestamp(6, Timestamp.from(Instant.now()));
        insert.addBatch();
    }

    private Connection connect() throws SQLException {
        return connect(database);
    }

    /** A JDBC connection with batched inserts rewritten into multi-row statements. */
    static Connection connect(DatabaseSettings settings) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        properties.setProperty("password", settings.password());
        properties.setProperty("reWriteBatchedInserts", "true");
        return DriverManager.getConnection(settings.jdbcUrl(), properties);
    }
}
