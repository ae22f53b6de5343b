package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OtpSecretTest {

    private static final byte[] SEED = Vectors.ascii("12345678901234567890");

    @Test
    void toStringNeverShowsTheSecret() {
        OtpSecret secret = OtpSecret.of(SEED);
        assertThat(secret.toString()).isEqualTo("OtpSecret[redacted]").doesNotContain(secret.base32());
    }

    @Test
    void equalSecretsAreEqualAndDifferentOnesAreNot() {
        assertThat(OtpSecret.of(SEED)).isEqualTo(OtpSecret.of(SEED)).hasSameHashCodeAs(OtpSecret.of(SEED));
        byte[] other = SEED.clone();
        other[19] ^= 1;
        assertThat(OtpSecret.of(SEED)).isNotEqualTo(OtpSecret.of(other));
        assertThat(OtpSecret.of(SEED)).isNotEqualTo(OtpSecret.of(new byte[] {1, 2, 3}));
    }

    @Test
    void theInputAndTheOutputAreCopies() {
        byte[] input = SEED.clone();
        OtpSecret secret = OtpSecret.of(input);
        input[0] = 0;
        secret.bytes()[1] = 0;
        assertThat(secret.bytes()).isEqualTo(SEED);
    }

    @Test
    void base32RoundTrips() {
        OtpSecret secret = OtpSecret.of(SEED);
        assertThat(secret.base32()).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assertThat(OtpSecret.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq")).isEqualTo(secret);
        assertThat(secret.bitLength()).isEqualTo(160);
    }

    @Test
    void randomSecretsHaveTheAskedLengthAndDiffer() {
        SecureRandom random = new SecureRandom();
        OtpSecret a = OtpSecret.random(random, 20);
        OtpSecret b = OtpSecret.random(random, 20);
        assertThat(a.bitLength()).isEqualTo(160);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void randomSecretsShorterThan128BitsAreRefused() {
        assertThatThrownBy(() -> OtpSecret.random(new SecureRandom(), 10))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Nested
    class Wiping {

        @Test
        void aWipedSecretCannotBeUsed() {
            OtpSecret secret = OtpSecret.of(SEED);
            secret.wipe();
            assertThat(secret.isWiped()).isTrue();
            assertThatThrownBy(secret::bytes).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(secret::base32).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> Hotp.code(secret, 0, 6, HmacAlgorithm.SHA1))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void aWipedSecretEqualsNothingNotEvenItself() {
            OtpSecret secret = OtpSecret.of(SEED);
            OtpSecret zeros = OtpSecret.of(new byte[SEED.length]);
            secret.wipe();
            assertThat(secret).isNotEqualTo(secret).isNotEqualTo(zeros);
        }
    }

    @Nested
    class Rejections {

        @Test
        void anEmptySecretIsRefused() {
            assertThatThrownBy(() -> OtpSecret.of(new byte[0]))
                    .isInstanceOf(ProtocolException.class).hasMessageStartingWith("secret:");
        }

        @Test
        void aSecretOver1024BytesIsRefused() {
            assertThat(OtpSecret.of(new byte[1024]).bitLength()).isEqualTo(8192);
            assertThatThrownBy(() -> OtpSecret.of(new byte[1025]))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("1024");
            assertThatThrownBy(() -> OtpSecret.fromBase32(Base32.encode(new byte[1025])))
                    .isInstanceOf(ProtocolException.class).hasMessageStartingWith("secret:");
        }

        @Test
        void invalidBase32IsRefusedWithoutEchoingTheSecret() {
            assertThatThrownBy(() -> OtpSecret.fromBase32("JBSWY3DPEHPK3PX1"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("secret:")
                    .hasMessageNotContaining("JBSWY3DPEHPK3PX");
        }

        @Test
        void aMissingSecretIsRefused() {
            assertThatThrownBy(() -> OtpSecret.fromBase32(null)).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> OtpSecret.fromBase32("  ")).isInstanceOf(ProtocolException.class);
        }
    }
}
