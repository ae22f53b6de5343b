package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import com.warrenstrange.googleauth.GoogleAuthenticatorConfig;
import com.warrenstrange.googleauth.HmacHashFunction;
import com.warrenstrange.googleauth.KeyRepresentation;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares our TOTP with an independent implementation, com.warrenstrange:googleauth, on random secrets and times.
 *
 * <p>googleauth is a test oracle only, never a dependency of the product, because of its flaws: its codes are
 * {@code int}s, so a code with leading zeros ("012345") comes back as 12345 and must be re-padded by the caller;
 * {@code authorize} has no replay protection (the same code passes again within its window); it has no HOTP; and
 * its {@code GoogleAuthenticatorQRGenerator.getOtpAuthURL} builds a URL to a third-party chart service carrying the
 * secret in the query string. Never call that helper, here or anywhere.
 *
 * <p>The RFC 6238 vectors decide: ours must produce every one as written; where googleauth differs, the test says
 * how (see docs/contract-additions.md, "Issue 2: decisions and deviations").
 */
class GoogleAuthDifferentialTest {

    private static final int SAMPLES = 300;

    @ParameterizedTest(name = "{0}, {1} digits agrees with googleauth")
    @CsvSource({"SHA1, 6", "SHA1, 8", "SHA256, 6", "SHA256, 8", "SHA512, 6", "SHA512, 8"})
    void ourTotpAgreesWithGoogleauthOnRandomSecretsAndTimes(HmacAlgorithm algorithm, int digits) {
        GoogleAuthenticator oracle = oracle(algorithm, digits);
        Totp totp = new Totp(algorithm, digits, 30);
        Random random = new Random(algorithm.ordinal() * 31L + digits);
        int withLeadingZero = 0;
        for (int i = 0; i < SAMPLES; i++) {
            byte[] seed = new byte[10 + random.nextInt(55)];
            random.nextBytes(seed);
            OtpSecret secret = OtpSecret.of(seed);
            long seconds = random.nextLong() & 0xFFFF_FFFFL; // 1970 to 2106
            String ours = totp.codeAt(secret, Instant.ofEpochSecond(seconds));
            int theirs = oracle.getTotpPassword(padded(secret.base32()), seconds * 1000);
            // googleauth returns an int: re-pad it before comparing (its leading-zero flaw).
            assertThat(ours)
                    .as("seed %s at %d", Base32.encode(seed), seconds)
                    .isEqualTo(String.format("%0" + digits + "d", theirs));
            withLeadingZero += ours.startsWith("0") ? 1 : 0;
        }
        assertThat(withLeadingZero).as("the sample exercises leading zeros").isPositive();
    }

    @Test
    void onTheRfc6238VectorsGoogleauthAgreesOnlyAsAnIntAndLosesTheLeadingZeroOfOne() {
        Map<HmacAlgorithm, OtpSecret> seeds = new EnumMap<>(HmacAlgorithm.class);
        List<String> asInt = new ArrayList<>();
        List<String> asText = new ArrayList<>();
        List<String> authorized = new ArrayList<>();
        int vectors = 0;
        for (String[] vector : Vectors.records("totp-rfc6238.txt")) {
            if (vector[0].equals("seed")) {
                seeds.put(HmacAlgorithm.fromUriName(vector[1]), OtpSecret.of(Vectors.ascii(vector[2])));
                continue;
            }
            vectors++;
            long seconds = Long.parseLong(vector[0]);
            HmacAlgorithm algorithm = HmacAlgorithm.fromUriName(vector[1]);
            String expected = vector[2];
            String name = String.join(" ", vector);
            // The RFC decides: ours gives every code exactly as written, zeros included.
            assertThat(new Totp(algorithm, 8, 30).codeAt(seeds.get(algorithm), Instant.ofEpochSecond(seconds)))
                    .as(name).isEqualTo(expected);

            GoogleAuthenticator oracle = oracle(algorithm, 8);
            String key = padded(seeds.get(algorithm).base32());
            int theirs = oracle.getTotpPassword(key, seconds * 1000);
            if (theirs == Integer.parseInt(expected)) {
                asInt.add(name);
            }
            if (Integer.toString(theirs).equals(expected)) {
                asText.add(name);
            }
            if (oracle.authorize(key, Integer.parseInt(expected), seconds * 1000)) {
                authorized.add(name);
            }
        }
        assertThat(vectors).isEqualTo(18);
        // Its configuration takes 8 digits and, as a Base32 key, the 20-, 32- and 64-byte seeds of all three
        // hashes: as a number, every one of its codes is the RFC's, and authorize accepts each.
        assertThat(asInt).hasSize(18);
        assertThat(authorized).hasSize(18);
        // As text it is wrong once: 07081804 comes back as the int 7081804, and only the caller's padding fixes it.
        assertThat(asText).hasSize(17).doesNotContain("1111111109 SHA1 07081804");
    }

    @Test
    void googleauthStopsAtEightDigitsAndHasNoPublicHotp() throws NoSuchMethodException {
        assertThatThrownBy(() -> oracle(HmacAlgorithm.SHA1, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> oracle(HmacAlgorithm.SHA1, 5)).isInstanceOf(IllegalArgumentException.class);
        // Its counter-based code exists only as a package-private step of the TOTP: RFC 4226 is not offered.
        assertThat(Modifier.isPublic(GoogleAuthenticator.class
                .getDeclaredMethod("calculateCode", byte[].class, long.class).getModifiers())).isFalse();
    }

    @Test
    void googleauthAcceptsTheSameCodeAgainWithinItsWindow() {
        OtpSecret secret = OtpSecret.of(Vectors.ascii("12345678901234567890"));
        GoogleAuthenticator oracle = oracle(HmacAlgorithm.SHA1, 6);
        long millis = 1_111_111_111_000L;
        int code = oracle.getTotpPassword(padded(secret.base32()), millis);
        // No replay protection: the product's TotpService records the last used step per device instead.
        assertThat(oracle.authorize(padded(secret.base32()), code, millis)).isTrue();
        assertThat(oracle.authorize(padded(secret.base32()), code, millis + 1_000)).isTrue();
    }

    /** googleauth configured as ours: 30-second steps, Base32 keys. */
    static GoogleAuthenticator oracle(HmacAlgorithm algorithm, int digits) {
        return new GoogleAuthenticator(new GoogleAuthenticatorConfig.GoogleAuthenticatorConfigBuilder()
                .setCodeDigits(digits)
                .setTimeStepSizeInMillis(TimeUnit.SECONDS.toMillis(30))
                .setHmacHashFunction(HmacHashFunction.valueOf(algorithm.jcaName()))
                .setKeyRepresentation(KeyRepresentation.BASE32)
                .build());
    }

    /** googleauth's Base32 decoder wants RFC 4648 padding. */
    static String padded(String base32) {
        return base32 + "=".repeat((8 - base32.length() % 8) % 8);
    }
}
