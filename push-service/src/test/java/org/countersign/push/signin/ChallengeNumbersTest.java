package org.countersign.push.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The numbers people type (ARCHITECTURE.md §2.2 step 2): uniform, no leading zero, 2 to 6 digits. */
class ChallengeNumbersTest {
    private final ChallengeNumbers numbers = new ChallengeNumbers(new SecureRandom());

    @Test
    void twoDigitNumbersCoverTenToNinetyNineEvenly() {
        Map<Integer, Integer> seen = new TreeMap<>();
        for (int i = 0; i < 10_000; i++) {
            String number = numbers.next(2);
            assertThat(number).matches("[1-9][0-9]");
            seen.merge(Integer.parseInt(number), 1, Integer::sum);
        }
        assertThat(seen.keySet()).hasSize(90);
        assertThat(seen).containsKeys(10, 99);
        // expected 111 each, standard deviation about 10.5: these bounds fail only for a biased generator
        assertThat(seen.values()).allSatisfy(count -> assertThat(count).isBetween(50, 180));
    }

    @Test
    void sixDigitNumbersStayWithinOneHundredThousandAndNineHundredNinetyNineThousand() {
        for (int i = 0; i < 10_000; i++) {
            String number = numbers.next(6);
            assertThat(number).matches("[1-9][0-9]{5}");
            assertThat(Integer.parseInt(number)).isBetween(100_000, 999_999);
        }
    }

    @Test
    void everyLengthFromTwoToSixHasExactlyThatManyDigits() {
        for (int digits = 2; digits <= 6; digits++) {
            assertThat(numbers.next(digits)).hasSize(digits).doesNotStartWith("0");
        }
    }

    @Test
    void refusesLengthsOutsideTwoToSix() {
        assertThatThrownBy(() -> numbers.next(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> numbers.next(7)).isInstanceOf(IllegalArgumentException.class);
    }
}
