package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.warrenstrange.googleauth.GoogleAuthenticator;
import com.warrenstrange.googleauth.GoogleAuthenticatorConfig;
import com.warrenstrange.googleauth.HmacHashFunction;
import com.warrenstrange.googleauth.KeyRepresentation;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 */
class GoogleAuthDifferentialTest {

    private static final int SAMPLES = 300;

    @ParameterizedTest(name = "{0}, {1} digits agrees with googleauth")
    @CsvSource({"SHA1, 6", "SHA1, 8", "SHA256, 6", "SHA256, 8", "SHA512, 6", "SHA512, 8"})
    void ourTotpAgreesWithGoogleauthOnRandomSecretsAndTimes(HmacAlgorithm algorithm, int digits) {
        GoogleAuthenticator oracle = new GoogleAuthenticator(new GoogleAuthenticatorConfig.GoogleAuthenticatorConfigBuilder()
                .setCodeDigits(digits)
                .setTimeStepSizeInMillis(TimeUnit.SECONDS.toMillis(30))
                .setHmacHashFunction(HmacHashFunction.valueOf(algorithm.jcaName()))
                .setKeyRepresentation(KeyRepresentation.BASE32)
                .build());
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

    /** googleauth's Base32 decoder wants RFC 4648 padding. */
    private static String padded(String base32) {
        return base32 + "=".repeat((8 - base32.length() % 8) % 8);
    }
}
