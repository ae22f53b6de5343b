package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class OtpAuthUriTest {

    private static final String SECRET = "JBSWY3DPEHPK3PXP";
    private static final String GOOGLE_EXAMPLE =
            "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";

    private static ProtocolException refusal(String uri) {
        return org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class, () -> OtpAuthUri.parse(uri));
    }

    @Nested
    class Parsing {

        @Test
        void theKeyUriFormatExampleParsesWithDefaults() {
            OtpAuthUri uri = OtpAuthUri.parse(GOOGLE_EXAMPLE);
            assertThat(uri.type()).isEqualTo(OtpType.TOTP);
            assertThat(uri.issuer()).isEqualTo("Example");
            assertThat(uri.account()).isEqualTo("alice@google.com");
            assertThat(uri.secret()).isEqualTo(OtpSecret.fromBase32(SECRET));
            assertThat(uri.algorithm()).isEqualTo(HmacAlgorithm.SHA1);
            assertThat(uri.digits()).isEqualTo(6);
            assertThat(uri.period()).isEqualTo(30);
            assertThat(uri.totp()).isEqualTo(Totp.DEFAULT);
            assertThat(uri.label()).isEqualTo("Example:alice@google.com");
        }

        @Test
        void everyParameterIsRead() {
            OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ"
                    + "&issuer=ACME%20Co&algorithm=SHA512&digits=8&period=60");
            assertThat(uri.issuer()).isEqualTo("ACME Co");
            assertThat(uri.account()).isEqualTo("john.doe@email.com");
            assertThat(uri.totp()).isEqualTo(new Totp(HmacAlgorithm.SHA512, 8, 60));
        }

        @ParameterizedTest(name = "period={0} is read and written back")
        @ValueSource(ints = {1, 90, 301, 3600, 86_400})
        void anyPeriodFromOneSecondToADayIsReadAndWrittenBack(int period) {
            OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/Vpn:carol?secret=" + SECRET + "&period=" + period);

            assertThat(uri.period()).isEqualTo(period);
            assertThat(OtpAuthUri.parse(uri.format())).isEqualTo(uri);
        }

        @Test
        void hotpReadsItsCounter() {
            OtpAuthUri uri = OtpAuthUri.parse("otpauth://hotp/Bank:bob?secret=" + SECRET + "&counter=42");
            assertThat(uri.type()).isEqualTo(OtpType.HOTP);
            assertThat(uri.counter()).isEqualTo(42);
            assertThatThrownBy(uri::totp).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void theIssuerParameterWinsOverTheLabelPrefix() {
            OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/Old%20Name:alice?secret=" + SECRET + "&issuer=New");
            assertThat(uri.issuer()).isEqualTo("New");
            assertThat(uri.account()).isEqualTo("alice");
        }

        @Test
        void theLabelPrefixIsTheIssuerWhenThereIsNoParameter() {
            assertThat(OtpAuthUri.parse("otpauth://totp/Example:alice?secret=" + SECRET).issuer()).isEqualTo("Example");
        }

        @Test
        void theIssuerParameterAloneIsEnough() {
            OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/alice?secret=" + SECRET + "&issuer=Example");
            assertThat(uri.issuer()).isEqualTo("Example");
            assertThat(uri.account()).isEqualTo("alice");
        }

        @Test
        void withoutAnyIssuerTheIssuerIsEmpty() {
            OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/alice?secret=" + SECRET);
            assertThat(uri.issuer()).isEmpty();
            assertThat(uri.label()).isEqualTo("alice");
        }

        @Test
        void percentEncodedLabelsAreDecodedIncludingAnEncodedColon() {
            OtpAuthUri uri = OtpAuthUri.parse("otpauth://totp/Caf%C3%A9%20Tr%C3%A8s%3A%20m%C3%BCller%2B1%40x.org?secret=" + SECRET);
            assertThat(uri.issuer()).isEqualTo("Café Très");
            assertThat(uri.account()).isEqualTo("müller+1@x.org");
        }

        @Test
        void spacesAfterTheLabelColonAreDropped() {
            assertThat(OtpAuthUri.parse("otpauth://totp/Example:%20%20alice?secret=" + SECRET).account())
                    .isEqualTo("alice");
        }

        @ParameterizedTest(name = "secret \"{0}\" is accepted")
        @ValueSource(strings = {"jbswy3dpehpk3pxp", "JBSW%20Y3DP%20EHPK%203PXP", "JBSWY3DPEHPK3PXP%3D%3D%3D%3D", "JBSWY3DPEHPK3PXP===="})
        void base32InAnyCaseWithSpacesOrPaddingIsAccepted(String secret) {
            assertThat(OtpAuthUri.parse("otpauth://totp/a?secret=" + secret).secret())
                    .isEqualTo(OtpSecret.fromBase32(SECRET));
        }

        @Test
        void schemeTypeAndAlgorithmIgnoreCase() {
            OtpAuthUri uri = OtpAuthUri.parse("OTPAUTH://TOTP/a?secret=" + SECRET + "&algorithm=sha256");
            assertThat(uri.algorithm()).isEqualTo(HmacAlgorithm.SHA256);
        }

        @Test
        void unknownParametersAreIgnored() {
            assertThat(OtpAuthUri.parse(GOOGLE_EXAMPLE + "&image=https%3A%2F%2Fexample.com%2Flogo.png").issuer())
                    .isEqualTo("Example");
        }
    }

    @Nested
    class Formatting {

        @Test
        void formatThenParseGivesTheSameAccount() {
            OtpAuthUri[] accounts = {
                    OtpAuthUri.parse(GOOGLE_EXAMPLE),
                    OtpAuthUri.totp("ACME & Sons", "j.doe+mfa@acme.example", OtpSecret.fromBase32(SECRET),
                            new Totp(HmacAlgorithm.SHA256, 8, 45)),
                    new OtpAuthUri(OtpType.HOTP, "", "bob", OtpSecret.fromBase32(SECRET), HmacAlgorithm.SHA512, 7, 30, 9),
                    new OtpAuthUri(OtpType.TOTP, "Ünïcode Org", "名前 a/b?c=d", OtpSecret.of(new byte[64]),
                            HmacAlgorithm.SHA1, 6, 30, 0),
                    new OtpAuthUri(OtpType.TOTP, "Org", "acct:with:colons", OtpSecret.of(new byte[] {1}),
                            HmacAlgorithm.SHA1, 6, 30, 0),
            };
            for (OtpAuthUri account : accounts) {
                assertThat(OtpAuthUri.parse(account.format())).as(account.format()).isEqualTo(account);
            }
        }

        @Test
        void fieldsMeaninglessForTheTypeAreNormalised() {
            OtpAuthUri hotp = new OtpAuthUri(OtpType.HOTP, "", "bob", OtpSecret.of(new byte[20]), HmacAlgorithm.SHA1,
                    6, 45, 7);
            OtpAuthUri totp = new OtpAuthUri(OtpType.TOTP, "", "bob", OtpSecret.of(new byte[20]), HmacAlgorithm.SHA1,
                    6, 45, 7);
            assertThat(hotp.period()).isEqualTo(30);
            assertThat(totp.counter()).isZero();
            assertThat(OtpAuthUri.parse(hotp.format())).isEqualTo(hotp);
            assertThat(OtpAuthUri.parse(totp.format())).isEqualTo(totp);
        }

        @Test
        void theCanonicalFormIsStable() {
            assertThat(OtpAuthUri.parse(GOOGLE_EXAMPLE).format()).isEqualTo(
                    "otpauth://totp/Example:alice%40google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
                            + "&algorithm=SHA1&digits=6&period=30");
            assertThat(OtpAuthUri.parse("otpauth://hotp/bob?secret=" + SECRET + "&counter=3").format())
                    .isEqualTo("otpauth://hotp/bob?secret=JBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&counter=3");
        }

        @Test
        void toStringDoesNotShowTheSecret() {
            assertThat(OtpAuthUri.parse(GOOGLE_EXAMPLE).toString()).doesNotContain(SECRET).contains("redacted");
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest(name = "{0} is refused for field {1}")
        @CsvSource(delimiter = '|', value = {
                "https://totp/a?secret=JBSWY3DPEHPK3PXP | scheme",
                "otpauth-migration://offline?data=abc | scheme",
                "otpauth://xotp/a?secret=JBSWY3DPEHPK3PXP | type",
                "otpauth://totp | label",
                "otpauth://totp/?secret=JBSWY3DPEHPK3PXP | label",
                "otpauth://totp/Example:?secret=JBSWY3DPEHPK3PXP | label",
                "otpauth://totp/a%ZZ?secret=JBSWY3DPEHPK3PXP | label",
                "otpauth://totp/a%C3?secret=JBSWY3DPEHPK3PXP | label",
                "otpauth://totp/a | secret",
                "otpauth://totp/a?issuer=x | secret",
                "otpauth://totp/a?secret= | secret",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PX1 | secret",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&secret=JBSWY3DPEHPK3PXP | secret",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm=MD5 | algorithm",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&algorithm= | algorithm",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=5 | digits",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=10 | digits",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=six | digits",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits=-6 | digits",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=0 | period",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period= | period",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&digits= | digits",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=86401 | period",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=100000 | period",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=30s | period",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&period=99999999999999999999 | period",
                "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP | counter",
                "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=-1 | counter",
                "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=x | counter",
                "otpauth://hotp/a?secret=JBSWY3DPEHPK3PXP&counter=99999999999999999999 | counter",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&issuer=Ex%3Aample | issuer",
                "otpauth://totp/a?secret=JBSWY3DPEHPK3PXP&issuer=Ex%0Aample | issuer",
        })
        void eachBadFieldIsNamed(String uri, String field) {
            ProtocolException e = refusal(uri);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ");
        }

        @Test
        void theErrorNeverRepeatsTheSecret() {
            assertThat(refusal("otpauth://totp/a?secret=JBSWY3DPEHPK3PX1").getMessage()).doesNotContain("JBSWY3DPEHPK3PX");
        }

        @Test
        void inputOver4096CharactersIsRefusedBeforeParsing() {
            String huge = "otpauth://totp/a?secret=" + SECRET + "&x=" + "a".repeat(4096);
            assertThat(refusal(huge).field()).isEqualTo("uri");
        }

        @Test
        void aSecretOver1024BytesIsRefused() {
            String secret = Base32.encode(new byte[1100]);
            assertThat(secret.length()).isLessThan(4000);
            ProtocolException e = refusal("otpauth://totp/a?secret=" + secret);
            assertThat(e.field()).isEqualTo("secret");
            assertThat(e.getMessage()).contains("1024");
        }

        @Test
        void missingInputIsRefused() {
            assertThat(refusal(null).field()).isEqualTo("uri");
            assertThat(refusal("").field()).isEqualTo("uri");
        }

        @Test
        void anAccountWithAColonNeedsAnIssuer() {
            assertThatThrownBy(() -> new OtpAuthUri(OtpType.TOTP, "", "a:b", OtpSecret.of(new byte[20]),
                    HmacAlgorithm.SHA1, 6, 30, 0)).hasMessageStartingWith("label:");
        }
    }
}
