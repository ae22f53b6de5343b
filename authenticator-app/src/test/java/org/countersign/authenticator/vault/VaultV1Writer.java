package org.countersign.authenticator.vault;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The format version 1 writer, frozen in test code so the upgrade path stays tested after the production writer
 * moved on: header {@code CSVAULT\0, 0x0001, "argon2id", memory, iterations, parallelism, salt, "AES-256-GCM",
 * nonce}, the header as associated data, and content version 1 (accounts only). Independent of the production
 * classes on purpose.
 */
final class VaultV1Writer {
    private VaultV1Writer() {
    }

    /** A version 1 file holding one TOTP account. */
    static byte[] write(String passphrase, int memoryKiB, int iterations, String issuer, String account,
                        String base32Secret) throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] salt = new byte[16];
        byte[] nonce = new byte[12];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {'C', 'S', 'V', 'A', 'U', 'L', 'T', 0, 0, 1});
        header.write(8);
        header.writeBytes("argon2id".getBytes(StandardCharsets.US_ASCII));
        header.writeBytes(ByteBuffer.allocate(12).putInt(memoryKiB).putInt(iterations).putInt(1).array());
        header.write(16);
        header.writeBytes(salt);
        header.write(11);
        header.writeBytes("AES-256-GCM".getBytes(StandardCharsets.US_ASCII));
        header.write(12);
        header.writeBytes(nonce);
        byte[] headerBytes = header.toByteArray();

        JsonObject content = new JsonObject().put("version", 1).put("accounts", new JsonArray().add(new JsonObject()
                .put("type", "totp").put("id", "0123456789abcdef0123456789abcdef").put("issuer", issuer)
                .put("account", account).put("secret", base32Secret).put("algorithm", "SHA1").put("digits", 6)
                .put("period", 30)));

        Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
        argon2.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKiB)
                .withIterations(iterations).withParallelism(1).withSalt(salt).build());
        byte[] key = new byte[32];
        argon2.generateBytes(passphrase.getBytes(StandardCharsets.UTF_8), key);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(headerBytes);
        byte[] ciphertext = cipher.doFinal(content.encode().getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.allocate(headerBytes.length + ciphertext.length).put(headerBytes).put(ciphertext).array();
    }
}
