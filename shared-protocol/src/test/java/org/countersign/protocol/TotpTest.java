package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TotpTest {

    private static final OtpSecret SECRET = OtpSecret.of(Vectors.ascii("12345678901234567890"));
    private static final Instant NOW = Instant.parse("2025-03-01T12:00:10Z");

    @Nested
    class Rfc6238AppendixB {

        @Test
        void everyListedTimeGivesTheRfcCodeForEachHash() {
            Map<HmacAlgorithm, OtpSecret> seeds = new EnumMap<>(HmacAlgorithm.class);
            int checked = 0;
            for (String[] vector : Vectors.records("totp-rfc6238.txt")) {
                if (vector[0].equals("seed")) {
                    seeds.put(HmacAlgorithm.fromUriName(vector[1]), OtpSecret.of(Vectors.ascii(vector[2])));
                    continue;
                }
                HmacAlgorithm algorithm = HmacAlgorithm.fromUriName(vector[1]);
                Instant time = Instant.ofEpochSecond(Long.parseLong(vector[0]));
                Totp totp = new Totp(algorithm, 8, 30);
                assertThat(totp.codeAt(seeds.get(algorithm), time))
                        .as("%s at %s", algorithm, time)
                        .isEqualTo(vector[2]);
                checked++;
            }
            assertThat(checked).isEqualTo(18);
            assertThat(seeds.get(HmacAlgorithm.SHA1).bitLength()).isEqualTo(160);
            assertThat(seeds.get(HmacAlgorithm.SHA256).bitLength()).isEqualTo(256);
            assertThat(seeds.get(HmacAlgorithm.SHA512).bitLength()).isEqualTo(512);
        }
    }

    @Nested
    class Steps {

        @Test
        void theStepIsUnixTimeDividedByThePeriod() {
            assertThat(Totp.DEFAULT.stepAt(Instant.ofEpochSecond(59))).isEqualTo(1);
            assertThat(Totp.DEFAULT.stepAt(Instant.ofEpochSecond(60))).isEqualTo(2);
            assertThat(new Totp(HmacAlgorithm.SHA1, 6, 60).stepAt(Instant.ofEpochSecond(1_111_111_109)))
                    .isEqualTo(18_518_518);
        }

        @Test
        void codeAtIsTheCodeForItsStep() {
            assertThat(Totp.DEFAULT.codeAt(SECRET, NOW))
                    .isEqualTo(Totp.DEFAULT.codeForStep(SECRET, Totp.DEFAULT.stepAt(NOW)));
        }

        @Test
        void theDefaultIsSha1SixDigitsThirtySeconds() {
            assertThat(Totp.DEFAULT).isEqualTo(new Totp(HmacAlgorithm.SHA1, 6, 30));
        }
    }

    @Nested
    class Matching {

        private final long step = Totp.DEFAULT.stepAt(NOW);

        @Test
        void theCurrentCodeMatchesTheCurrentStep() {
            String code = Totp.DEFAULT.codeAt(SECRET, NOW);
            assertThat(Totp.DEFAULT.matchingStep(SECRET, code, NOW, 0)).hasValue(step);
        }

        @Test
        void codesInsideTheWindowMatchTheirOwnStep() {
            for (long offset = -2; offset <= 2; offset++) {
                String code = Totp.DEFAULT.codeForStep(SECRET, step + offset);
                assertThat(Totp.DEFAULT.matchingStep(SECRET, code, NOW, 2)).hasValue(step + offset);
            }
        }

        @Test
        void codesOutsideTheWindowDoNotMatch() {
            String previous = Totp.DEFAULT.codeForStep(SECRET, step - 2);
            String next = Totp.DEFAULT.codeForStep(SECRET, step + 2);
            assertThat(Totp.DEFAULT.matchingStep(SECRET, previous, NOW, 1)).isEmpty();
            assertThat(Totp.DEFAULT.matchingStep(SECRET, next, NOW, 1)).isEmpty();
        }

        @Test
        void aWrongCodeDoesNotMatch() {
            String code = Totp.DEFAULT.codeAt(SECRET, NOW);
            String wrong = (code.charAt(0) == '9' ? "0" : String.valueOf((char) (code.charAt(0) + 1)))
                    + code.substring(1);
            assertThat(Totp.DEFAULT.matchingStep(SECRET, wrong, NOW, 1)).isEmpty();
        }

        @Test
        void anotherSecretsCodeDoesNotMatch() {
            OtpSecret other = OtpSecret.of(Vectors.ascii("12345678901234567891"));
            String code = Totp.DEFAULT.codeAt(other, NOW);
            assertThat(Totp.DEFAULT.matchingStep(SECRET, code, NOW, 0)).isEmpty();
        }

        @ParameterizedTest(name = "\"{0}\" never matches")
        @ValueSource(strings = {"", "12345", "1234567", "12345a", " 12345", "+12345", "-12345", "١٢٣٤٥٦"})
        void aCodeThatIsNotExactlySixAsciiDigitsNeverMatches(String malformed) {
            assertThat(Totp.DEFAULT.matchingStep(SECRET, malformed, NOW, Totp.MAX_WINDOW)).isEmpty();
        }

        @Test
        void aCodeWithSurroundingSpacesDoesNotMatch() {
            String code = Totp.DEFAULT.codeAt(SECRET, NOW);
            assertThat(Totp.DEFAULT.matchingStep(SECRET, " " + code, NOW, 1)).isEmpty();
            assertThat(Totp.DEFAULT.matchingStep(SECRET, null, NOW, 1)).isEmpty();
        }

        @Test
        void theStepClosestToNowWinsWhenTwoStepsShareACode() {
            // Find a real collision in a short secret's code sequence rather than trusting a mock.
            OtpSecret secret = OtpSecret.of(Vectors.ascii("collision-seed-000001"));
            Totp totp = Totp.DEFAULT;
            long base = 1_000;
            long[] pair = findCollisionWithinFourSteps(secret, totp, base);
            Instant atLater = Instant.ofEpochSecond(pair[1] * 30);
            String code = totp.codeForStep(secret, pair[0]);
            OptionalLong matched = totp.matchingStep(secret, code, atLater, Totp.MAX_WINDOW);
            assertThat(matched).hasValue(pair[1]);
        }

        @Test
        void stepsBefore1970AreSkipped() {
            String code = Totp.DEFAULT.codeForStep(SECRET, 0);
            assertThat(Totp.DEFAULT.matchingStep(SECRET, code, Instant.EPOCH, 3)).hasValue(0);
        }

        @Test
        void aWindowOutsideZeroToTenIsRefused() {
            assertThatThrownBy(() -> Totp.DEFAULT.matchingStep(SECRET, "123456", NOW, -1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Totp.DEFAULT.matchingStep(SECRET, "123456", NOW, 11))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        private long[] findCollisionWithinFourSteps(OtpSecret secret, Totp totp, long from) {
            // Two steps up to four apart share a 6-digit code about once in 250,000 steps; the search is
            // deterministic (same secret, same answer) and computes each code once.
            java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
            for (long step = from; step < from + 5_000_000; step++) {
                String code = totp.codeForStep(secret, step);
                long earlier = step - recent.size();
                for (String previous : recent) {
                    if (previous.equals(code)) {
                        return new long[] {earlier, step};
                    }
                    earlier++;
                }
                recent.addLast(code);
                if (recent.size() > 4) {
                    recent.removeFirst();
                }
            }
            throw new AssertionError("no collision found");
        }
    }

    /**
     * Codes are strings: a code with leading zeros keeps them, and a genuine {@code 000000} verifies. googleauth's
     * {@code int} codes cannot say either (see {@link GoogleAuthDifferentialTest}).
     */
    @Nested
    class LeadingZeros {

        /** Steps searched for {@code 000000}; about one step in 10<sup>6</sup> has it. */
        private static final long SEARCH_BUDGET = 3_000_000;

        @Test
        void aCodeStartingWithZeroVerifiesAsTheStringWithItsZero() {
            long step = firstStepFrom(SECRET, Totp.DEFAULT.stepAt(NOW), "0");
            String code = Totp.DEFAULT.codeForStep(SECRET, step);
            Instant at = Instant.ofEpochSecond(step * 30);

            assertThat(code).hasSize(6).startsWith("0");
            assertThat(Totp.DEFAULT.matchingStep(SECRET, code, at, 1)).hasValue(step);
            // The same digits without the zero are not a code.
            assertThat(Totp.DEFAULT.matchingStep(SECRET, code.substring(1), at, 1)).isEmpty();

            // googleauth's code is the int: five characters, which its caller must pad back.
            int theirs = GoogleAuthDifferentialTest.oracle(HmacAlgorithm.SHA1, 6)
                    .getTotpPassword(GoogleAuthDifferentialTest.padded(SECRET.base32()), at.toEpochMilli());
            assertThat(theirs).isEqualTo(Integer.parseInt(code));
            assertThat(Integer.toString(theirs)).hasSizeLessThan(6);
        }

        @Test
        void aGenuineAllZeroCodeVerifiesWhereGoogleauthRefusesIt() {
            // A deterministic search from step 0 with the RFC 6238 SHA1 seed: the first 000000 is at step 349,495
            // (about three seconds of HMACs), well inside the budget.
            long step = firstStepFrom(SECRET, 0, "000000");
            Instant at = Instant.ofEpochSecond(step * 30);

            assertThat(Totp.DEFAULT.codeForStep(SECRET, step)).isEqualTo("000000");
            assertThat(Totp.DEFAULT.matchingStep(SECRET, "000000", at, 1)).hasValue(step);
            assertThat(Totp.DEFAULT.matchingStep(SECRET, "0", at, 1)).isEmpty();

            // googleauth computes it as the int 0, and then its authorize refuses every code <= 0: a person whose
            // authenticator shows 000000 could not sign in.
            GoogleAuthenticator oracle = GoogleAuthDifferentialTest.oracle(HmacAlgorithm.SHA1, 6);
            String key = GoogleAuthDifferentialTest.padded(SECRET.base32());
            assertThat(oracle.getTotpPassword(key, at.toEpochMilli())).isZero();
            assertThat(oracle.authorize(key, 0, at.toEpochMilli())).isFalse();
            // The neighbouring steps' codes pass its authorize, so it is the zero, not the time, that fails.
            int next = oracle.getTotpPassword(key, at.plusSeconds(30).toEpochMilli());
            assertThat(oracle.authorize(key, next, at.plusSeconds(30).toEpochMilli())).isTrue();
        }

        private long firstStepFrom(OtpSecret secret, long from, String prefix) {
            for (long step = from; step < from + SEARCH_BUDGET; step++) {
                if (Totp.DEFAULT.codeForStep(secret, step).startsWith(prefix)) {
                    return step;
                }
            }
            throw new AssertionError("no code starting with " + prefix + " within " + SEARCH_BUDGET + " steps");
        }
    }

    @Nested
    class Validation {

        @ParameterizedTest(name = "{0} digits is refused")
        @ValueSource(ints = {0, 5, 9, 10})
        void digitsOutsideSixToEightAreRefused(int digits) {
            assertThatThrownBy(() -> new Totp(HmacAlgorithm.SHA1, digits, 30))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("digits:");
        }

        @ParameterizedTest(name = "a period of {0} s is refused")
        @ValueSource(ints = {-30, 0, 86_401, Integer.MAX_VALUE})
        void periodsOutsideOneSecondToOneDayAreRefused(int period) {
            assertThatThrownBy(() -> new Totp(HmacAlgorithm.SHA1, 6, period))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("period:");
        }

        @Test
        void theEdgesOfTheRangesAreAccepted() {
            assertThat(new Totp(HmacAlgorithm.SHA512, 8, 1).periodSeconds()).isEqualTo(1);
            assertThat(new Totp(HmacAlgorithm.SHA256, 7, 86_400).codeForStep(SECRET, 0)).hasSize(7);
        }

        @Test
        void aMissingAlgorithmIsRefused() {
            assertThatThrownBy(() -> new Totp(null, 6, 30)).hasMessageStartingWith("algorithm:");
        }
    }
}
