package org.countersign.authenticator.gui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodeGroupingTest {
    @ParameterizedTest
    @CsvSource({"123456, 123 456", "1234567, 123 4567", "12345678, 1234 5678", "12345, 12 345", "1234, 1234",
        "123456789, 123 456 789"})
    void codesAreGroupedForReading(String code, String grouped) {
        assertThat(CodeGrouping.group(code)).isEqualTo(grouped);
    }
}
