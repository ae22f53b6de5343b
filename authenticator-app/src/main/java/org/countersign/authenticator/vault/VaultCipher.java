package org.countersign.authenticator.vault;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Seals and opens the bytes of a vault file: Argon2id turns the passphrase into an AES-256 key, AES-GCM encrypts the
 * entries with the header as associated data. Callers never choose salts, nonces or key sizes.
 */
final class VaultCipher {
    private static final int KEY_BYTES = 32;
    private static final int TAG_BITS = 128;

    private VaultCipher() {
    }

    /** The result of opening a vault file: its plaintext (the caller wipes it) and its header. */
    record Opened(byte[] plaintext, VaultHeader header) {
    }

    /**
     * Returns the complete file contents (a current-version header followed by the ciphertext) for
     * {@code plaintext}.
     */
    static byte[] seal(byte[] plaintext, char[] passphrase, KdfParameters kdf, int backupCount, SecureRandom random) {
        VaultHeader header = VaultHeader.fresh(kdf, backupCount, random);
        byte[] key = deriveKey(passphrase, header.salt(), kdf);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, header);
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(header.length() + ciphertext.length)
                    .put(header.encoded()).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Opens the complete file contents.
     *
     * @throws BadVaultFile when the header is malformed ({@code headerDamaged}) or the passphrase is wrong or any byte
     *                      was changed (authentication fails)
     */
    static Opened open(byte[] file, char[] passphrase) throws BadVaultFile {
        VaultHeader header;
        try {
            header = VaultHeader.parse(file);
        } catch (IllegalArgumentException e) {
            throw new BadVaultFile(true, e.getMessage());
        }
        if (file.length - header.length() < TAG_BITS / 8) {
            throw new BadVaultFile(true, "file ends before the encrypted entries");
        }
        byte[] key = deriveKey(passphrase, header.salt(), header.kdf());
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, header);
            byte[] plaintext = cipher.doFinal(file, header.length(), file.length - header.length());
            return new Opened(plaintext, header);
        } catch (AEADBadTagException e) {
            throw new BadVaultFile(false, "authentication failed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] key, VaultHeader header) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, header.nonce()));
        cipher.updateAAD(header.encoded());
        return cipher;
    }

    /** Argon2id with the given parameters; the caller wipes the returned key. */
    static byte[] deriveKey(char[] passphrase, byte[] salt, KdfParameters kdf) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(kdf.memoryKiB())
                .withIterations(kdf.iterations())
                .withParallelism(kdf.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] password = utf8(passphrase);
        byte[] key = new byte[KEY_BYTES];
        try {
            generator.generateBytes(password, key);
            return key;
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /** UTF-8 without an intermediate String, so the bytes can be wiped. */
    private static byte[] utf8(char[] passphrase) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(CharBuffer.wrap(passphrase));
        } catch (CharacterCodingException e) {
            throw new VaultException("The passphrase contains characters that are not valid text.");
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return bytes;
    }

    /** Why a vault file could not be opened; {@link VaultFile} turns it into a message that names the file. */
    static final class BadVaultFile extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean headerDamaged;

        BadVaultFile(boolean headerDamaged, String detail) {
            super(detail);
            this.headerDamaged = headerDamaged;
        }

        boolean headerDamaged() {
            return headerDamaged;
        }
    }
}
