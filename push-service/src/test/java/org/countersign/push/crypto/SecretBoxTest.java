package org.countersign.push.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;
import org.countersign.push.crypto.SecretBox.SecretBoxException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** AES-256-GCM at rest with the row's ids as associated data (ARCHITECTURE.md §5). */
class SecretBoxTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SECRET = "twenty bytes secret!".getBytes(StandardCharsets.US_ASCII);
    private static final String USER = UUID.randomUUID().toString();
    private static final String DEVICE = UUID.randomUUID().toString();

    private final SecretBox box = new SecretBox(key(), RANDOM);

    private static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    @Nested
    class Sealing {
        @Test
        void opensToThePlaintextWithTheSameAssociatedData() {
            assertThat(box.open(box.seal(SECRET, USER, DEVICE), USER, DEVICE)).isEqualTo(SECRET);
        }

        @Test
        void neverContainsThePlaintextAndRecordsVersionAndNonce() {
            byte[] sealed = box.seal(SECRET, USER, DEVICE);
            assertThat(sealed).hasSize(1 + 4 + 12 + SECRET.length + 16);
            assertThat(sealed[0]).isEqualTo((byte) 2);
            assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
                    .doesNotContain(new String(SECRET, StandardCharsets.ISO_8859_1));
        }

        @Test
        void usesAFreshNonceEachTime() {
            assertThat(box.seal(SECRET, USER, DEVICE)).isNotEqualTo(box.seal(SECRET, USER, DEVICE));
        }

        @Test
        void refusesAKeyThatIsNot256Bits() {
            assertThatThrownBy(() -> new SecretBox(new byte[16], RANDOM)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void hidesTheKeyFromToString() {
            assertThat(box.toString()).contains("redacted");
        }
    }

    @Nested
    class Opening {
        @Test
        void failsWhenAnyByteIsFlipped() {
            byte[] sealed = box.seal(SECRET, USER, DEVICE);
            for (int i = 0; i < sealed.length; i++) {
                byte[] tampered = sealed.clone();
                tampered[i] ^= 0x01;
                int index = i;
                assertThatThrownBy(() -> box.open(tampered, USER, DEVICE)).as("byte %d flipped", index)
                        .isInstanceOf(SecretBoxException.class);
            }
        }

        @Test
        void failsWhenTruncatedOrEmpty() {
            byte[] sealed = box.seal(SECRET, USER, DEVICE);
            for (int length = 0; length < sealed.length; length++) {
                byte[] truncated = java.util.Arrays.copyOf(sealed, length);
                assertThatThrownBy(() -> box.open(truncated, USER, DEVICE)).isInstanceOf(SecretBoxException.class);
            }
        }

        @Test
        void failsWhenTheUserAndDeviceIdsAreSwapped() {
            byte[] sealed = box.seal(SECRET, USER, DEVICE);
            assertThatThrownBy(() -> box.open(sealed, DEVICE, USER)).isInstanceOf(SecretBoxException.class);
        }

        @Test
        void failsForTheRowOfAnotherDeviceOrUser() {
            byte[] sealed = box.seal(SECRET, USER, DEVICE);
            String other = UUID.randomUUID().toString();
            assertThatThrownBy(() -> box.open(sealed, USER, other)).isInstanceOf(SecretBoxException.class);
            assertThatThrownBy(() -> box.open(sealed, other, DEVICE)).isInstanceOf(SecretBoxException.class);
            assertThatThrownBy(() -> box.open(sealed, USER)).isInstanceOf(SecretBoxException.class);
            assertThatThrownBy(() -> box.open(sealed)).isInstanceOf(SecretBoxException.class);
        }

        @Test
        void failsWhenThePartsOfTheAssociatedDataAreSplitDifferently() {
            byte[] sealed = box.seal(SECRET, "ab", "c");
            assertThatThrownBy(() -> box.open(sealed, "a", "bc")).isInstanceOf(SecretBoxException.class);
        }

        @Test
        void failsWithAnotherKey() {
            byte[] sealed = box.seal(SECRET, USER, DEVICE);
            SecretBox other = new SecretBox(key(), RANDOM);
            assertThatThrownBy(() -> other.open(sealed, USER, DEVICE)).isInstanceOf(SecretBoxException.class);
        }
    }
}
