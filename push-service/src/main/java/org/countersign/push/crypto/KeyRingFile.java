package org.countersign.push.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The key ring file {@code <dataDir>/secret-box.key}, owner-only. Its first format held one base64 key; that file is
 * still read as "this key is primary and the CSRF source". The ring format has one key a line, with its role:
 * <pre>
 * # Countersign secret keys: role base64-key (primary seals; next is staged; old is being re-encrypted away)
 * primary 3q2+7w...=
 * old     AAECAw...=
 * csrf    AAECAw...=
 * </pre>
 * The {@code csrf} line keeps the CSRF key of the installation's first key after that key is retired. Writes are
 * atomic (temp file, rename), so a running service never reads half a file.
 */
public final class KeyRingFile {
    public static final String NAME = "secret-box.key";

    private KeyRingFile() {
    }

    public static Path path(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    public static KeyRing read(Path file) throws IOException {
        List<KeyRing.Key> keys = new ArrayList<>();
        byte[] csrf = null;
        int number = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            number++;
            String line = raw.replaceAll("\\s#.*$", "").strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file + " line " + number;
            if (parts.length == 1) {
                keys.add(KeyRing.Key.of(decode(parts[0], where), KeyRing.Role.PRIMARY));
            } else if (parts.length == 2 && parts[0].equals("csrf")) {
                csrf = decode(parts[1], where);
            } else if (parts.length == 2) {
                KeyRing.Role role;
                try {
                    role = KeyRing.Role.valueOf(parts[0].toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ": unknown role '" + parts[0]
                            + "' (primary, next, old or csrf)");
                }
                keys.add(KeyRing.Key.of(decode(parts[1], where), role));
            } else {
                throw new IllegalArgumentException(where + ": expected 'role base64-key'");
            }
        }
        try {
            KeyRing.Key primary = keys.stream().filter(k -> k.role() == KeyRing.Role.PRIMARY).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no primary key"));
            return new KeyRing(keys, csrf != null ? csrf : primary.bytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
    }

    /** Writes {@code ring} atomically with owner-only permissions, the CSRF key always spelled out. */
    public static void write(Path file, KeyRing ring) throws IOException {
        StringBuilder text = new StringBuilder("# Countersign secret keys: role base64-key. primary seals, next is "
                + "staged (opens only), old is being re-encrypted away; csrf keys the CSRF tokens.\n");
        Base64.Encoder base64 = Base64.getEncoder();
        for (KeyRing.Role role : KeyRing.Role.values()) {
            for (KeyRing.Key key : ring.keys()) {
                if (key.role() == role) {
                    text.append(role.wire()).append(' ').append(base64.encodeToString(key.bytes()))
                            .append("   # id ").append(key.id()).append('\n');
                }
            }
        }
        text.append("csrf ").append(base64.encodeToString(ring.csrfKey())).append('\n');
        Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".secret-box", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, text, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static byte[] decode(String text, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException(where + " must hold 32 bytes (base64 of a 256-bit key)");
        }
        return key;
    }
}
