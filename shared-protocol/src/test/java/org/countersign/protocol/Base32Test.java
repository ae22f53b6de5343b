package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base32Test {

    @Nested
    class Rfc4648Vectors {

        @ParameterizedTest(name = "\"{0}\" encodes as {1}")
        @CsvSource({
                "'', ''",
                "f, MY",
                "fo, MZXQ",
                "foo, MZXW6",
                "foob, MZXW6YQ",
                "fooba, MZXW6YTB",
                "foobar, MZXW6YTBOI",
        })
        void encodingMatchesTheRfcWithoutPadding(String plain, String encoded) {
            assertThat(Base32.encode(plain.getBytes(StandardCharsets.US_ASCII))).isEqualTo(encoded);
            assertThat(Base32.decode(encoded)).isEqualTo(plain.getBytes(StandardCharsets.US_ASCII));
        }

        @ParameterizedTest(name = "{0} decodes as foobar")
        @CsvSource({"MZXW6YTBOI======", "mzxw6ytboi", "MZXW 6YTB OI", "mzXW6 ytBoi==", "  MZXW6YTBOI  "})
        void decodingIgnoresCaseSpacesAndPadding(String typed) {
            assertThat(Base32.decode(typed)).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void randomBytesSurviveARoundTrip() {
        Random random = new Random(42);
        for (int length = 0; length < 100; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            assertThat(Base32.decode(Base32.encode(data))).isEqualTo(data);
        }
    }

    @Nested
    class Rejections {

        @ParameterizedTest(name = "{0} is refused")
        @CsvSource({"MZXW1YTB, '1'", "MZXW8YTB, '8'", "MZXW-YTB, '-'", "MZ.XW, '.'"})
        void aCharacterOutsideTheAlphabetIsNamed(String text, String character) {
            assertThatThrownBy(() -> Base32.decode(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(character);
        }

        @Test
        void aControlCharacterIsNamedByCodePoint() {
            assertThatThrownBy(() -> Base32.decode("MZXW\tYTB"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("U+0009");
        }

        @Test
        void dataAfterPaddingIsRefused() {
            assertThatThrownBy(() -> Base32.decode("MY==MY"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("padding");
        }

        @ParameterizedTest(name = "{0} characters is an impossible length")
        @CsvSource({"M", "MZX", "MZXW6Y"})
        void impossibleLengthsAreRefused(String text) {
            assertThatThrownBy(() -> Base32.decode(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("length");
        }
    }
}
