package org.countersign.push.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Argon2id password hashes in the PHC format, on a worker pool (ARCHITECTURE.md §3.2, §5). */
class PasswordHasherTest {
    /** From the reference implementation's tests (phc-winner-argon2 src/test.c): "password", argon2id, m=256. */
    private static final String REFERENCE =
            "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

    static Vertx vertx;
    static WorkerExecutor workers;
    static PasswordHasher hasher;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        workers = vertx.createSharedWorkerExecutor("password-hasher-test", 2);
        hasher = new PasswordHasher(workers, new SecureRandom());
    }

    @AfterAll
    static void stop() throws Exception {
        workers.close().await(10, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Nested
    class AHash {
        @Test
        void isAnArgon2idPhcStringWithOwaspParameters() {
            String hash = await(hasher.hash("correct horse"));
            assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
            String[] parts = hash.split("\\$");
            assertThat(parts).hasSize(6);
            assertThat(java.util.Base64.getDecoder().decode(parts[4])).hasSize(16);
            assertThat(java.util.Base64.getDecoder().decode(parts[5])).hasSize(32);
        }

        @Test
        void ofTheSamePasswordDiffersEachTime() {
            assertThat(await(hasher.hash("same password"))).isNotEqualTo(await(hasher.hash("same password")));
        }
    }

    @Nested
    class Verification {
        @Test
        void acceptsTheRightPasswordAndRefusesAWrongOne() {
            String hash = await(hasher.hash("correct horse"));
            assertThat(await(hasher.verify("correct horse", hash))).isTrue();
            assertThat(await(hasher.verify("correct horsf", hash))).isFalse();
            assertThat(await(hasher.verify("", hash))).isFalse();
        }

        @Test
        void acceptsAHashMadeByTheReferenceImplementation() {
            assertThat(await(hasher.verify("password", REFERENCE))).isTrue();
            assertThat(await(hasher.verify("passwore", REFERENCE))).isFalse();
        }

        @Test
        void refusesOtherArgon2VariantsAndVersions() {
            assertThat(await(hasher.verify("password", REFERENCE.replace("argon2id", "argon2i")))).isFalse();
            assertThat(await(hasher.verify("password", REFERENCE.replace("v=19", "v=16")))).isFalse();
            assertThat(await(hasher.verify("password", "not a hash"))).isFalse();
        }

        @Test
        void ofAnUnknownUserAlwaysFails() {
            assertThat(await(hasher.verifyDecoy("anything"))).isFalse();
        }

        @Test
        void handlesNonAsciiPasswordsAsUtf8() {
            String hash = await(hasher.hash("pässwörd ✓"));
            assertThat(await(hasher.verify("pässwörd ✓", hash))).isTrue();
            assertThat(await(hasher.verify("passwort ✓", hash))).isFalse();
        }
    }
}
