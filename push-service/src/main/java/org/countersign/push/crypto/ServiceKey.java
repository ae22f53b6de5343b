package org.countersign.push.crypto;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the {@link KeyRing} of the {@link SecretBox} comes from.
 * <ul>
 *   <li>From the environment when {@code COUNTERSIGN_SECRET_KEY} (base64, the primary key) is set, so that every node
 *       of a cluster shares it: {@code COUNTERSIGN_NEXT_SECRET_KEYS} (comma-separated, staged keys),
 *       {@code COUNTERSIGN_OLD_SECRET_KEYS} (comma-separated, keys being retired) and {@code COUNTERSIGN_CSRF_KEY}
 *       (default: the primary key; set it to the first key before the first rotation so CSRF tokens stay valid).
 *       Changes take effect at the next (rolling) restart.</li>
 *   <li>Otherwise from the key ring file {@code <dataDir>/secret-box.key} ({@link KeyRingFile}), created on first
 *       start with one primary key and owner-only permissions; a running service re-reads it when it changes.</li>
 * </ul>
 */
public final class ServiceKey {
    public static final String ENV = "COUNTERSIGN_SECRET_KEY";
    public static final String NEXT_ENV = "COUNTERSIGN_NEXT_SECRET_KEYS";
    public static final String OLD_ENV = "COUNTERSIGN_OLD_SECRET_KEYS";
    public static final String CSRF_ENV = "COUNTERSIGN_CSRF_KEY";
    static final String FILE = KeyRingFile.NAME;

    private ServiceKey() {
    }

    /** The key ring and, when it comes from the data directory, the file a running service watches. */
    public record Source(KeyRing ring, Optional<Path> file) {
    }

    public static Source load(Map<String, String> environment, Path dataDir, SecureRandom random) throws IOException {
        String primary = environment.get(ENV);
        if (primary != null && !primary.isBlank()) {
            List<KeyRing.Key> keys = new ArrayList<>();
            byte[] primaryKey = KeyRingFile.decode(primary, ENV);
            keys.add(KeyRing.Key.of(primaryKey, KeyRing.Role.PRIMARY));
            addAll(keys, environment.get(NEXT_ENV), NEXT_ENV, KeyRing.Role.NEXT);
            addAll(keys, environment.get(OLD_ENV), OLD_ENV, KeyRing.Role.OLD);
            String csrf = environment.get(CSRF_ENV);
            byte[] csrfKey = csrf != null && !csrf.isBlank() ? KeyRingFile.decode(csrf, CSRF_ENV) : primaryKey;
            return new Source(new KeyRing(keys, csrfKey), Optional.empty());
        }
        Path file = KeyRingFile.path(dataDir);
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                KeyRingFile.write(file, KeyRing.single(key));
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: read theirs
            }
        }
        return new Source(KeyRingFile.read(file), Optional.of(file));
    }

    private static void addAll(List<KeyRing.Key> keys, String list, String name, KeyRing.Role role) {
        if (list == null || list.isBlank()) {
            return;
        }
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                keys.add(KeyRing.Key.of(KeyRingFile.decode(item, name), role));
            }
        }
    }
}
