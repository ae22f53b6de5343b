package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HotpTest {

    @Nested
    class Rfc4226AppendixD {

        @Test
        void everyCounterGivesTheRfcCode() {
            List<String[]> records = Vectors.records("hotp-rfc4226.txt");
            assertThat(records.get(0)[0]).isEqualTo("secret");
            OtpSecret secret = OtpSecret.of(Vectors.ascii(records.get(0)[1]));
            List<String[]> codes = records.subList(1, records.size());
            assertThat(codes).hasSize(10);
            for (String[] vector : codes) {
                long counter = Long.parseLong(vector[0]);
                assertThat(Hotp.code(secret, counter, 6, HmacAlgorithm.SHA1))
                        .as("counter %d", counter)
                        .isEqualTo(vector[1]);
            }
        }
    }

    @Test
    void codesAreZeroPaddedToTheirLength() {
        OtpSecret secret = OtpSecret.of(Vectors.ascii("12345678901234567890"));
        boolean sawLeadingZero = false;
        for (long counter = 0; counter < 200; counter++) {
            String code = Hotp.code(secret, counter, 6, HmacAlgorithm.SHA1);
            assertThat(code).hasSize(6).containsOnlyDigits();
            sawLeadingZero |= code.startsWith("0");
        }
        assertThat(sawLeadingZero).as("200 codes include one starting with 0").isTrue();
    }

    @Test
    void digitsOutsideSixToEightAreRefused() {
        OtpSecret secret = OtpSecret.of(new byte[20]);
        assertThatThrownBy(() -> Hotp.code(secret, 0, 5, HmacAlgorithm.SHA1))
                .isInstanceOf(ProtocolException.class).hasMessageStartingWith("digits:");
        assertThatThrownBy(() -> Hotp.code(secret, 0, 9, HmacAlgorithm.SHA1))
                .isInstanceOf(ProtocolException.class).hasMessageStartingWith("digits:");
    }

    @Test
    void aNegativeCounterIsRefused() {
        assertThatThrownBy(() -> Hotp.code(OtpSecret.of(new byte[20]), -1, 6, HmacAlgorithm.SHA1))
                .isInstanceOf(ProtocolException.class).hasMessageStartingWith("counter:");
    }
}
