package org.countersign.push.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.countersign.protocol.Totp;
import org.countersign.push.commands.RetireSecretKeyCommand;
import org.countersign.push.commands.RotateSecretKeyCommand;
import org.countersign.push.crypto.KeyRing;
import org.countersign.push.crypto.KeyRingFile;
import org.countersign.push.crypto.SecretBox;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Rotating the key that encrypts TOTP secrets while the service runs: the ring file changes, the service reloads it,
 * the background job moves every row to the new key in small batches while TOTP checks keep succeeding, and the old
 * key can be retired only once nothing needs it. One story, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretKeyRotationTest {
    private static final Duration STEP = Duration.ofSeconds(30);

    @TempDir
    static Path dataDir;
    static Path ringFile;
    static String firstKey;
    static TestService service;
    static String admin;
    static final List<String> users = new ArrayList<>();
    static final List<TestDevice> devices = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        ringFile = dataDir.resolve(KeyRingFile.NAME);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.writeString(ringFile, java.util.Base64.getEncoder().encodeToString(key) + "\n"); // the old format
        firstKey = KeyRing.idOf(key);
        service = TestService.withKeyRingFile(ringFile);
        // this test runs the passes itself, so that it knows what ran when; the periodic job calls the same code
        service.server.reencryption().stop();
        admin = service.flows().adminToken();
        for (int i = 0; i < 4; i++) {
            users.add("rot" + i);
            devices.add(service.flows().enforcedUserWithDevice(admin, "rot" + i));
        }
    }

    @AfterAll
    static void stop() {
        devices.forEach(TestDevice::close);
        service.close();
    }

    private static Api.Response totpSignIn(int user) {
        Api.Response started = service.flows().signIn(users.get(user));
        assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
        String code = Totp.DEFAULT.codeAt(devices.get(user).activation().totpSecret(), service.clock.instant());
        return service.api.post("/api/v1/sign-ins/" + started.string("signInId") + "/totp",
                new JsonObject().put("code", code));
    }

    private static void everyoneSignsInWithTotp() {
        service.clock.advance(STEP);
        for (int i = 0; i < users.size(); i++) {
            Api.Response answer = totpSignIn(i);
            assertThat(answer.status()).as(users.get(i) + ": " + answer).isEqualTo(200);
            assertThat(answer.string("state")).isEqualTo("approved");
        }
    }

    private static Map<String, Long> rowsByKey() {
        Map<String, Long> counts = new java.util.HashMap<>();
        service.sql(SecretKeyQueries.COUNT_BY_KEY).forEach(row -> counts.put(row.getString("key_id"), row.getLong("n")));
        return counts;
    }

    private static KeyRing readRing() {
        try {
            return KeyRingFile.read(ringFile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String databaseUrl() {
        var db = service.database;
        return "postgresql://" + db.user() + ":" + db.password() + "@" + db.host() + ":" + db.port() + "/"
                + db.database();
    }

    private static int retire(String keyId, StringWriter err) {
        CommandLine command = new CommandLine(new RetireSecretKeyCommand());
        command.setErr(new PrintWriter(err, true));
        return command.execute("--data-dir", dataDir.toString(), "--database-url", databaseUrl(), "--key-id", keyId);
    }

    /** A box in the version 1 format written before key rings: {@code 0x01 || nonce || AES-GCM}, no key id. */
    private static byte[] versionOneBox(byte[] key, byte[] plaintext, String user, String device) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        cipher.updateAAD(java.nio.ByteBuffer.allocate(8 + user.length() + device.length()).putInt(user.length())
                .put(user.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(device.length())
                .put(device.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).array());
        byte[] sealed = cipher.doFinal(plaintext);
        return java.nio.ByteBuffer.allocate(13 + sealed.length).put((byte) 1).put(nonce).put(sealed).array();
    }

    @Test
    @Order(1)
    void beforeRotationSecretsAreSealedWithTheFirstKeyOrInTheOldFormatAndCodesWork() throws Exception {
        assertThat(rowsByKey()).containsEntry(firstKey, 4L);
        // one row as an older version wrote it
        UUID deviceId = UUID.fromString(devices.get(3).deviceId());
        UUID userId = service.sql("SELECT user_id FROM devices WHERE id = '" + deviceId + "'").iterator().next()
                .getUUID("user_id");
        byte[] key = service.server.secrets().ring().primary().bytes();
        TestService.await(service.pool.preparedQuery("UPDATE devices SET totp_secret = $1 WHERE id = $2")
                .execute(Tuple.of(Buffer.buffer(versionOneBox(key, devices.get(3).activation().totpSecret().bytes(),
                        userId.toString(), deviceId.toString())), deviceId)));
        assertThat(rowsByKey()).isEqualTo(Map.of(firstKey, 3L, SecretKeyQueries.UNVERSIONED, 1L));
        everyoneSignsInWithTotp();
    }

    @Test
    @Order(2)
    void rotatingWhileTotpChecksContinueMovesEveryRowToTheNewKey() {
        assertThat(new CommandLine(new RotateSecretKeyCommand()).execute("--data-dir", dataDir.toString())).isZero();
        assertThat(TestService.await(service.server.reencryption().reloadRing())).as("the changed file was read")
                .isTrue();
        String newKey = service.server.secrets().ring().primary().id();
        assertThat(newKey).isNotEqualTo(firstKey);

        service.server.reencryption().batchSize(1);
        for (int round = 0; round < 6; round++) {
            everyoneSignsInWithTotp();
            TestService.await(service.server.reencryption().reencryptBatch());
        }
        everyoneSignsInWithTotp();

        assertThat(rowsByKey()).isEqualTo(Map.of(newKey, 4L));
        JsonObject status = service.api.get("/api/v1/admin/secret-keys", admin).json();
        assertThat(status.getString("primary")).isEqualTo(newKey);
        assertThat(status.getLong("pending")).isZero();
        assertThat(status.encode()).doesNotContain(java.util.Base64.getEncoder()
                .encodeToString(service.server.secrets().ring().primary().bytes()));
    }

    @Test
    @Order(3)
    void aNewDeviceIsSealedWithTheNewKey() {
        devices.add(service.flows().enforcedUserWithDevice(admin, "rot4"));
        users.add("rot4");
        String newKey = service.server.secrets().ring().primary().id();
        assertThat(rowsByKey()).isEqualTo(Map.of(newKey, 5L));
    }

    @Test
    @Order(4)
    void theOldKeyCannotBeRetiredWhileARowNeedsItThenCanBe() {
        String newKey = service.server.secrets().ring().primary().id();
        UUID deviceId = UUID.fromString(devices.get(0).deviceId());
        UUID userId = service.sql("SELECT user_id FROM devices WHERE id = '" + deviceId + "'").iterator().next()
                .getUUID("user_id");
        // a row written by a node that still sealed with the first key
        byte[] firstKeyBytes = service.server.secrets().ring().find(firstKey).orElseThrow().bytes();
        byte[] stale = new SecretBox(firstKeyBytes, new SecureRandom()).seal(
                devices.get(0).activation().totpSecret().bytes(), userId.toString(), deviceId.toString());
        TestService.await(service.pool.preparedQuery("UPDATE devices SET totp_secret = $1 WHERE id = $2")
                .execute(Tuple.of(Buffer.buffer(stale), deviceId)));

        StringWriter refused = new StringWriter();
        assertThat(retire(firstKey, refused)).isEqualTo(1);
        assertThat(refused.toString()).contains("refusing").contains("1 TOTP secret(s) are still sealed with key "
                + firstKey);
        assertThat(readRing().find(firstKey)).isPresent();
        everyoneSignsInWithTotp();

        TestService.await(service.server.reencryption().reencryptAll());
        assertThat(rowsByKey()).isEqualTo(Map.of(newKey, 5L));
        StringWriter err = new StringWriter();
        assertThat(retire(firstKey, err)).as(err.toString()).isZero();
        assertThat(readRing().find(firstKey)).isEmpty();

        TestService.await(service.server.reencryption().reloadRing());
        assertThat(service.server.secrets().ring().keys()).extracting(KeyRing.Key::id).containsExactly(newKey);
        everyoneSignsInWithTotp();
    }

    @Test
    @Order(5)
    void thePrimaryKeyIsNeverRetired() {
        StringWriter err = new StringWriter();
        assertThat(retire(service.server.secrets().ring().primary().id(), err)).isEqualTo(1);
        assertThat(err.toString()).contains("is the primary key");
    }

    @Test
    @Order(6)
    void aSecretUnderAKeyTheNodeDoesNotHaveGivesAClearErrorWithoutDetails() {
        UUID deviceId = UUID.fromString(devices.get(1).deviceId());
        UUID userId = service.sql("SELECT user_id FROM devices WHERE id = '" + deviceId + "'").iterator().next()
                .getUUID("user_id");
        byte[] unknownKey = new byte[32];
        new SecureRandom().nextBytes(unknownKey);
        byte[] sealed = new SecretBox(unknownKey, new SecureRandom()).seal(
                devices.get(1).activation().totpSecret().bytes(), userId.toString(), deviceId.toString());
        TestService.await(service.pool.preparedQuery("UPDATE devices SET totp_secret = $1 WHERE id = $2")
                .execute(Tuple.of(Buffer.buffer(sealed), deviceId)));
        service.clock.advance(STEP);

        Api.Response answer = totpSignIn(1);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(503);
        assertThat(answer.error()).isEqualTo("secret_key_unavailable");
        assertThat(answer.body()).doesNotContain(KeyRing.idOf(unknownKey)).doesNotContain(deviceId.toString())
                .doesNotContainIgnoringCase("exception");
        var pass = TestService.await(service.server.reencryption().reencryptAll());
        assertThat(pass.resealed()).isZero();
    }

    @Test
    @Order(7)
    void secretsSwappedBetweenRowsDoNotOpen() {
        UUID a = UUID.fromString(devices.get(2).deviceId());
        UUID b = UUID.fromString(devices.get(3).deviceId());
        service.sql("UPDATE devices d SET totp_secret = o.totp_secret FROM devices o WHERE "
                + "(d.id = '" + a + "' AND o.id = '" + b + "') OR (d.id = '" + b + "' AND o.id = '" + a + "')");
        service.clock.advance(STEP);

        Api.Response answer = totpSignIn(2);

        assertThat(answer.status()).as(answer.toString()).isNotEqualTo(200);
        assertThat(answer.body()).doesNotContain("sessionToken");
    }
}
