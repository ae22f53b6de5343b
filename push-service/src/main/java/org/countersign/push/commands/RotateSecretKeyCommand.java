package org.countersign.push.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.Callable;
import org.countersign.push.crypto.KeyRing;
import org.countersign.push.crypto.KeyRingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code push-service.jar rotate-secret-key}: changes the key ring file of a data directory. Without options it makes
 * a new primary key (the staged one if there is one, else a fresh random key) and turns the previous primary into an
 * {@code old} key; a running service re-reads the file within seconds, seals new secrets with the new key and
 * re-encrypts the existing ones in the background. With {@code --stage} it only adds a fresh {@code next} key (for
 * several nodes: copy the file to every node before promoting it). The CSRF key is written out and stays as it was.
 */
@Command(name = "rotate-secret-key", mixinStandardHelpOptions = true,
        description = "Adds a new primary key for TOTP secrets (or, with --stage, a staged one) to the key ring file.")
public final class RotateSecretKeyCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "The service's data directory (default: as the service's).")
    Path dataDir;

    @Option(names = "--stage", description = "Only add a new key as 'next' (opens secrets, seals none yet).")
    boolean stage;

    @Option(names = "--promote", paramLabel = "KEY_ID", description = "Promote this staged key (refuses if this "
            + "node's ring does not have it staged): the safe form on several nodes.")
    String promote;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path file = KeyRingFile.path(dataDir != null ? dataDir : org.countersign.push.Main.defaultDataDir());
        if (!Files.exists(file)) {
            spec.commandLine().getErr().println("rotate-secret-key: no key ring at " + file + " (start the service "
                    + "once, or, with keys in COUNTERSIGN_SECRET_KEY, rotate through the environment variables)");
            return 1;
        }
        KeyRing ring = KeyRingFile.read(file);
        List<KeyRing.Key> staged = ring.keys().stream().filter(k -> k.role() == KeyRing.Role.NEXT).toList();
        KeyRing changed;
        String message;
        if (stage) {
            KeyRing.Key added = KeyRing.Key.of(fresh(), KeyRing.Role.NEXT);
            changed = ring.with(added);
            message = "staged key " + added.id() + " (opens secrets, seals none). Copy " + file + " to every node, "
                    + "then run rotate-secret-key --promote " + added.id() + " on each.";
        } else {
            if (promote != null && staged.stream().noneMatch(k -> k.id().equals(promote))) {
                spec.commandLine().getErr().println("rotate-secret-key: key " + promote + " is not staged in " + file
                        + "; copy the staged key ring here first");
                return 1;
            }
            if (promote != null) {
                staged = staged.stream().filter(k -> k.id().equals(promote)).toList();
            }
            if (staged.size() > 1) {
                spec.commandLine().getErr().println("rotate-secret-key: several staged keys; remove all but one");
                return 1;
            }
            KeyRing.Key primary = ring.primary();
            byte[] next = staged.isEmpty() ? fresh() : staged.get(0).bytes();
            KeyRing.Key promoted = KeyRing.Key.of(next, KeyRing.Role.PRIMARY);
            java.util.List<KeyRing.Key> keys = new java.util.ArrayList<>();
            for (KeyRing.Key key : ring.keys()) {
                if (key.id().equals(primary.id())) {
                    keys.add(new KeyRing.Key(key.id(), key.bytes(), KeyRing.Role.OLD));
                } else if (!key.id().equals(promoted.id())) {
                    keys.add(key);
                }
            }
            keys.add(promoted);
            changed = new KeyRing(keys, ring.csrfKey());
            message = "primary key is now " + promoted.id() + "; " + primary.id() + " is old. A running service "
                    + "picks this up within seconds and re-encrypts every TOTP secret in the background; when "
                    + "GET /api/v1/admin/secret-keys shows \"pending\":0, run retire-secret-key --key-id "
                    + primary.id() + ".";
        }
        KeyRingFile.write(file, changed);
        spec.commandLine().getOut().println(message);
        return 0;
    }

    private static byte[] fresh() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
