package org.countersign.push.crypto;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}).
 * Hashing is slow on purpose, so every call runs on the given bounded worker pool and returns a future;
 * nothing here may be called on an event loop synchronously.
 */
public final class PasswordHasher {
    /** OWASP's minimum for Argon2id: 19 MiB, two passes, one lane. */
    public static final int MEMORY_KIB = 19 * 1024;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final WorkerExecutor workers;
    private final SecureRandom random;
    /** Verified against when a username is unknown, so both answers take the same time. */
    private final String decoy;

    public PasswordHasher(WorkerExecutor workers, SecureRandom random) {
        this.workers = Objects.requireNonNull(workers, "workers");
        this.random = Objects.requireNonNull(random, "random");
        this.decoy = hashNow("decoy-password-" + random.nextLong());
    }

    public Future<String> hash(String password) {
        return workers.executeBlocking(() -> hashNow(password), false);
    }

    public Future<Boolean> verify(String password, String encoded) {
        return workers.executeBlocking(() -> verifyNow(password, encoded), false);
    }

    /** Spends the time a real verification would, then answers false: for unknown usernames. */
    public Future<Boolean> verifyDecoy(String password) {
        return workers.executeBlocking(() -> {
            verifyNow(password, decoy);
            return false;
        }, false);
    }

    String hashNow(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** False for a wrong password and for a stored value that is not an Argon2id PHC string we can read. */
    static boolean verifyNow(String password, String encoded) {
        try {
            return verifyParsed(password, encoded);
        } catch (IllegalArgumentException malformed) { // NumberFormatException, bad base64
            return false;
        }
    }

    private static boolean verifyParsed(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
            return false;
        }
        int memory = 0;
        int iterations = 0;
        int parallelism = 0;
        for (String parameter : parts[3].split(",")) {
            String[] kv = parameter.split("=", 2);
            if (kv.length != 2) {
                return false;
            }
            int value = Integer.parseInt(kv[1]);
            switch (kv[0]) {
                case "m" -> memory = value;
                case "t" -> iterations = value;
                case "p" -> parallelism = value;
                default -> {
                    return false;
                }
            }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, salt, memory, iterations, parallelism, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
                                 int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
        try {
            generator.generateBytes(passwordBytes, out);
        } finally {
            Arrays.fill(passwordBytes, (byte) 0);
        }
        return out;
    }
}
