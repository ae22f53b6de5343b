package org.countersign.authenticator.imports;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Opens an encrypted Aegis export, following Aegis's published vault format: each password slot ({@code type} 1)
 * holds the 32-byte master key encrypted with AES-256-GCM under {@code scrypt(password, salt, n, r, p)}
 * ({@code key} and {@code key_params.nonce/tag} in hex); the {@code db} is base64 of the entries encrypted with
 * AES-256-GCM under the master key ({@code header.params.nonce/tag}). Other slot types (biometric) are skipped.
 *
 * <p>The scrypt costs come from the file, so they are bounded before any work: a hostile file cannot ask for
 * gigabytes of memory.
 */
final class AegisVaultCipher {
    static final int PASSWORD_SLOT = 1;
    private static final int KEY_BYTES = 32;
    private static final int MAX_N = 1 << 20;
    private static final int MAX_R = 32;
    private static final int MAX_P = 16;

    private AegisVaultCipher() {
    }

    /** The plaintext db (the caller wipes it). */
    static byte[] open(JsonObject header, String db, char[] password) {
        if (password == null || password.length == 0) {
            throw new ImportException("The Aegis export is encrypted: its password is needed.");
        }
        if (db == null) {
            throw new ImportException("The Aegis export is damaged: the encrypted db is missing.");
        }
        byte[] masterKey = masterKey(header.getJsonArray("slots", new JsonArray()), password);
        try {
            JsonObject params = header.getJsonObject("params");
            byte[] ciphertext = Base64.getMimeDecoder().decode(db);
            return gcmOpen(masterKey, hex(params.getString("nonce")), ciphertext, hex(params.getString("tag")));
        } catch (AEADBadTagException e) {
            throw new ImportException("The Aegis export is damaged: its db does not decrypt with the master key.");
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new ImportException("The Aegis export is damaged (bad header params or db encoding).");
        } finally {
            Arrays.fill(masterKey, (byte) 0);
        }
    }

    private static byte[] masterKey(JsonArray slots, char[] password) {
        byte[] passwordBytes = utf8(password);
        boolean anyPasswordSlot = false;
        try {
            for (Object item : slots) {
                if (!(item instanceof JsonObject slot) || slot.getInteger("type", -1) != PASSWORD_SLOT) {
                    continue;
                }
                anyPasswordSlot = true;
                byte[] derived = derive(slot, passwordBytes);
                try {
                    JsonObject keyParams = slot.getJsonObject("key_params");
                    return gcmOpen(derived, hex(keyParams.getString("nonce")), hex(slot.getString("key")),
                            hex(keyParams.getString("tag")));
                } catch (AEADBadTagException e) {
                    // not this slot's password: try the next one
                } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
                    throw new ImportException("The Aegis export is damaged (a password slot is malformed).");
                } finally {
                    Arrays.fill(derived, (byte) 0);
                }
            }
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
        throw new ImportException(anyPasswordSlot ? "Wrong password for the Aegis export (or the file is damaged)."
                : "The Aegis export has no password slot (biometric-only exports cannot be opened here).");
    }

    private static byte[] derive(JsonObject slot, byte[] password) {
        int n;
        int r;
        int p;
        byte[] salt;
        try {
            n = slot.getInteger("n");
            r = slot.getInteger("r");
            p = slot.getInteger("p");
            salt = hex(slot.getString("salt"));
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            throw new ImportException("The Aegis export is damaged (a password slot lacks its scrypt parameters).");
        }
        if (n < 2 || n > MAX_N || Integer.bitCount(n) != 1 || r < 1 || r > MAX_R || p < 1 || p > MAX_P) {
            throw new ImportException("The Aegis export asks for scrypt costs out of range (n=" + n + ", r=" + r
                    + ", p=" + p + "); it is damaged or not from Aegis.");
        }
        return SCrypt.generate(password, salt, n, r, p, KEY_BYTES);
    }

    private static byte[] gcmOpen(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag)
            throws AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(tag.length * 8, nonce));
            byte[] sealed = ByteBuffer.allocate(ciphertext.length + tag.length).put(ciphertext).put(tag).array();
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("bad key, nonce or tag: " + e.getMessage(), e);
        }
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer buffer = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }
}
