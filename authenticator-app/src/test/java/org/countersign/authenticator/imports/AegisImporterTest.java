package org.countersign.authenticator.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.HmacAlgorithm;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Fixtures are built here from Aegis's published vault format description, never copied from Aegis. */
class AegisImporterTest {
    private static final String PASSWORD = "aegis test password";
    private final SecureRandom random = new SecureRandom();
    private final AegisImporter importer = new AegisImporter(random);

    static JsonObject db() {
        JsonArray entries = new JsonArray()
                .add(entry("totp", "alice", "GitHub", new JsonObject().put("secret", "JBSWY3DPEHPK3PXP")
                        .put("algo", "SHA256").put("digits", 8).put("period", 60))
                        .put("icon", "iVBORw0KGgo=").put("icon_mime", "image/png")
                        .put("groups", new JsonArray().add("8d3b1a4e-0000-4000-8000-000000000001")))
                .add(entry("hotp", "bob", "Bank", new JsonObject().put("secret", "GEZDGNBVGY3TQOJQ")
                        .put("algo", "SHA1").put("digits", 6).put("counter", 7)).put("note", "the old card"))
                .add(entry("steam", "gamer", "Steam", new JsonObject().put("secret", "JBSWY3DPEHPK3PXP")
                        .put("algo", "SHA1").put("digits", 5).put("period", 30)));
        return new JsonObject().put("version", 3).put("entries", entries)
                .put("groups", new JsonArray().add(new JsonObject().put("uuid", "8d3b1a4e-0000-4000-8000-000000000001")
                        .put("name", "Work")));
    }

    private static JsonObject entry(String type, String name, String issuer, JsonObject info) {
        return new JsonObject().put("type", type).put("uuid", "00000000-0000-4000-8000-00000000000" + name.length())
                .put("name", name).put("issuer", issuer).put("note", "").put("favorite", false).put("icon", null)
                .put("info", info);
    }

    static String plain() {
        return new JsonObject().put("version", 1)
                .put("header", new JsonObject().putNull("slots").putNull("params")).put("db", db()).encode();
    }

    /** scrypt slot wraps a random master key with AES-256-GCM; the db is sealed with the master key. */
    static String encrypted(String password) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] masterKey = new byte[32];
        byte[] salt = new byte[32];
        random.nextBytes(masterKey);
        random.nextBytes(salt);
        int n = 1 << 10;
        byte[] slotKey = SCrypt.generate(password.getBytes(StandardCharsets.UTF_8), salt, n, 8, 1, 32);
        Sealed wrapped = seal(slotKey, masterKey);
        Sealed database = seal(masterKey, db().encode().getBytes(StandardCharsets.UTF_8));
        HexFormat hex = HexFormat.of();
        JsonObject slot = new JsonObject().put("type", 1).put("uuid", "9c5e6f1a-0000-4000-8000-000000000002")
                .put("key", hex.formatHex(wrapped.ciphertext()))
                .put("key_params", new JsonObject().put("nonce", hex.formatHex(wrapped.nonce()))
                        .put("tag", hex.formatHex(wrapped.tag())))
                .put("n", n).put("r", 8).put("p", 1).put("salt", hex.formatHex(salt))
                .put("repaired", true).put("is_backup", false);
        JsonObject biometric = new JsonObject().put("type", 2).put("uuid", "x").put("key", "00")
                .put("key_params", new JsonObject().put("nonce", "00").put("tag", "00"));
        JsonObject header = new JsonObject().put("slots", new JsonArray().add(biometric).add(slot))
                .put("params", new JsonObject().put("nonce", hex.formatHex(database.nonce()))
                        .put("tag", hex.formatHex(database.tag())));
        return new JsonObject().put("version", 1).put("header", header)
                .put("db", Base64.getEncoder().encodeToString(database.ciphertext())).encode();
    }

    private record Sealed(byte[] ciphertext, byte[] nonce, byte[] tag) {
    }

    private static Sealed seal(byte[] key, byte[] plaintext) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] all = cipher.doFinal(plaintext);
        return new Sealed(java.util.Arrays.copyOf(all, all.length - 16),
                nonce, java.util.Arrays.copyOfRange(all, all.length - 16, all.length));
    }

    private static void assertCarriedOver(ImportedAccounts imported) {
        assertThat(imported.accounts()).extracting(Account::displayName).containsExactly("GitHub:alice", "Bank:bob");
        TotpAccount totp = (TotpAccount) imported.accounts().get(0);
        assertThat(totp.secret().base32()).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(totp.totp().algorithm()).isEqualTo(HmacAlgorithm.SHA256);
        assertThat(totp.totp().digits()).isEqualTo(8);
        assertThat(totp.totp().periodSeconds()).isEqualTo(60);
        assertThat(((HotpAccount) imported.accounts().get(1)).counter()).isEqualTo(7);
        assertThat(imported.notCarriedOver()).anyMatch(n -> n.contains("Steam:gamer") && n.contains("Steam accounts"))
                .anyMatch(n -> n.startsWith("1 icon was not carried over"))
                .anyMatch(n -> n.startsWith("Groups were not carried over"))
                .anyMatch(n -> n.startsWith("1 note was not carried over"));
    }

    @Nested
    class PlainExports {
        @Test
        void entriesAreCarriedOverAndTheRestIsReported() {
            assertThat(AegisImporter.isEncrypted(plain())).isFalse();
            assertCarriedOver(importer.read(plain(), () -> {
                throw new AssertionError("a plain export needs no password");
            }));
        }

        @Test
        void fieldsOfTheWrongJsonTypeAreAClearError() {
            // found by ParserFuzzTest (seed 28634622208225): a version that is an object was a ClassCastException
            for (String damaged : new String[] {
                    "{\"version\":{\"slots\":null},\"header\":{\"slots\":null,\"params\":null},\"db\":{}}",
                    "{\"version\":1,\"header\":{\"slots\":null},\"db\":{\"version\":2,\"entries\":{}}}"}) {
                assertThatThrownBy(() -> importer.read(damaged, () -> new char[0])).as(damaged)
                        .isInstanceOf(ImportException.class);
            }
        }
    }

    @Nested
    class EncryptedExports {
        @Test
        void theRightPasswordOpensThePasswordSlotAndTheDb() throws Exception {
            String export = encrypted(PASSWORD);

            assertThat(AegisImporter.isEncrypted(export)).isTrue();
            assertCarriedOver(importer.read(export, PASSWORD::toCharArray));
        }

        @Test
        void aWrongPasswordIsAClearError() throws Exception {
            String export = encrypted(PASSWORD);

            assertThatThrownBy(() -> importer.read(export, "nope"::toCharArray))
                    .isInstanceOf(ImportException.class).hasMessageContaining("Wrong password");
        }

        @Test
        void hostileScryptCostsAreRefusedBeforeAnyWork() throws Exception {
            String export = encrypted(PASSWORD).replace("\"n\":1024", "\"n\":1073741824");

            assertThatThrownBy(() -> importer.read(export, PASSWORD::toCharArray))
                    .isInstanceOf(ImportException.class).hasMessageContaining("out of range");
        }
    }
}
