package org.countersign.push.crypto;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The 256-bit key of the {@link SecretBox}: from {@code COUNTERSIGN_SECRET_KEY} (base64) when set, so that every
 * node of a cluster shares it; otherwise from {@code secret-box.key} in the data directory, created once with
 * owner-only permissions.
 */
public final class ServiceKey {
    public static final String ENV = "COUNTERSIGN_SECRET_KEY";
    static final String FILE = "secret-box.key";

    private ServiceKey() {
    }

    public static byte[] load(Optional<String> fromEnvironment, Path dataDir, SecureRandom random) throws IOException {
        if (fromEnvironment.isPresent()) {
            return decode(fromEnvironment.get(), ENV);
        }
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardOpenOption.WRITE);
                return key;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: read theirs
            }
        }
        return decode(Files.readString(file).trim(), file.toString());
    }

    private static byte[] decode(String text, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " is not base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(source + " must hold 32 bytes (base64 of a 256-bit key)");
        }
        return key;
    }
}
