package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnrollmentUriTest {

    private static final URI URL = URI.create("https://mfa.example.com/api/v1/enrollments/activate");
    private static final String PIN = "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    private static final String VALID = "countersign://enroll?v=1"
            + "&url=https%3A%2F%2Fmfa.example.com%2Fapi%2Fv1%2Fenrollments%2Factivate"
            + "&code=Xk29-PqL7&issuer=Contoso&user=alice";

    private static ProtocolException refusal(String uri) {
        return Assertions.assertThrows(ProtocolException.class, () -> EnrollmentUri.parse(uri));
    }

    private static String without(String parameter) {
        return VALID.replaceAll("&?" + parameter + "=[^&]*", "").replace("enroll?&", "enroll?");
    }

    @Nested
    class RoundTrip {

        @Test
        void aValidUriParses() {
            EnrollmentUri uri = EnrollmentUri.parse(VALID);
            assertThat(uri.activationUrl()).isEqualTo(URL);
            assertThat(uri.code()).isEqualTo("Xk29-PqL7");
            assertThat(uri.issuer()).isEqualTo("Contoso");
            assertThat(uri.user()).isEqualTo("alice");
            assertThat(uri.pin()).isEmpty();
        }

        @Test
        void formatIsTheCanonicalFormWithThePercentEncodedUrl() {
            assertThat(EnrollmentUri.parse(VALID).format()).isEqualTo(VALID);
        }

        @Test
        void formatThenParseGivesTheSameValueWithAndWithoutPin() {
            EnrollmentUri plain = EnrollmentUri.of(URL, "c0de/+=&?", "Contoso Ltd & Co", "ålice@contoso.com",
                    Optional.empty());
            EnrollmentUri pinned = EnrollmentUri.of(URI.create("https://mfa.example.com:8443/activate?x=1&y=2"),
                    "code", "Contoso", "bob", Optional.of(PIN));
            for (EnrollmentUri uri : new EnrollmentUri[] {plain, pinned}) {
                assertThat(EnrollmentUri.parse(uri.format())).isEqualTo(uri);
                assertThat(EnrollmentUri.parse(uri.format()).code()).isEqualTo(uri.code());
            }
            assertThat(EnrollmentUri.parse(pinned.format()).pin()).contains(PIN);
            assertThat(EnrollmentUri.parse(pinned.format()).activationUrl().getQuery()).isEqualTo("x=1&y=2");
        }

        @Test
        void theActivationUrlIsPercentEncodedInsideTheUri() {
            String formatted = EnrollmentUri.of(URI.create("https://h.example/a?b=c&d=e"), "code", "I", "u",
                    Optional.of(PIN)).format();
            assertThat(formatted).contains("url=https%3A%2F%2Fh.example%2Fa%3Fb%3Dc%26d%3De")
                    .contains("pin=sha256%2F47DEQpj8HBSa%2B%2FTImW%2B5JCeuQeRkm5NMpJWZG3hSuFU%3D");
        }

        @Test
        void theCodeIsASecretAndStaysOutOfToString() {
            assertThat(EnrollmentUri.parse(VALID).toString()).doesNotContain("Xk29-PqL7").contains("redacted");
        }

        @Test
        void differentCodesMakeDifferentUris() {
            EnrollmentUri a = EnrollmentUri.of(URL, "code-a", "I", "u", Optional.empty());
            EnrollmentUri b = EnrollmentUri.of(URL, "code-b", "I", "u", Optional.empty());
            assertThat(a).isNotEqualTo(b).isEqualTo(EnrollmentUri.of(URL, "code-a", "I", "u", Optional.empty()));
        }
    }

    @Nested
    class MissingFields {

        @ParameterizedTest(name = "without {0} the error names {0}")
        @ValueSource(strings = {"v", "url", "code", "issuer", "user"})
        void eachMissingFieldIsNamed(String field) {
            String uri = without(field);
            assertThat(uri).doesNotContain(field + "=");
            ProtocolException e = refusal(uri);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ");
        }

        @Test
        void anEmptyValueCountsAsMissing() {
            assertThat(refusal(VALID.replace("user=alice", "user=")).field()).isEqualTo("user");
        }

        @Test
        void noInputAtAllIsRefused() {
            assertThat(refusal(null).field()).isEqualTo("uri");
            assertThat(refusal("").field()).isEqualTo("uri");
        }
    }

    @Nested
    class Refusals {

        @ParameterizedTest(name = "version {0} is refused")
        @ValueSource(strings = {"2", "0", "1.0", "01"})
        void unknownVersionsAreRefused(String version) {
            ProtocolException e = refusal(VALID.replace("v=1", "v=" + version));
            assertThat(e.field()).isEqualTo("v");
            assertThat(e.getMessage()).contains(version);
        }

        @ParameterizedTest(name = "{0} is refused")
        @CsvSource({
                "https://enroll?v=1, scheme",
                "otpauth://enroll?v=1, scheme",
                "countersign:enroll?v=1, scheme",
                "countersign://activate?v=1, host",
                "countersign://enroll.evil.example?v=1, host",
                "countersign://?v=1, host",
        })
        void otherSchemesAndHostsAreRefused(String prefix, String field) {
            String uri = prefix + VALID.substring(VALID.indexOf("?v=1") + 4);
            assertThat(refusal(uri).field()).isEqualTo(field);
        }

        @ParameterizedTest(name = "activation URL {0} is refused")
        @ValueSource(strings = {
                "http://mfa.example.com/activate",
                "http://127.example.com/activate",
                "http://localhost.evil.example/activate",
                "http://128.0.0.1/activate",
                "http://127.0.0.256/activate",
                "http://[::2]/activate",
                "ftp://mfa.example.com/activate",
                "/relative/activate",
                "https:///no-host",
                "https://user:pw@mfa.example.com/activate",
                "https://mfa.example.com/activate#fragment",
                "not a url",
        })
        void aNonHttpsOrOddUrlIsRefused(String url) {
            String uri = VALID.replace("https%3A%2F%2Fmfa.example.com%2Fapi%2Fv1%2Fenrollments%2Factivate",
                    UriCoding.encode(url));
            ProtocolException e = refusal(uri);
            assertThat(e.field()).isEqualTo("url");
        }

        @Test
        void theHttpRefusalExplainsTheRule() {
            assertThatThrownBy(() -> EnrollmentUri.of(URI.create("http://mfa.example.com/a"), "c", "i", "u",
                    Optional.empty()))
                    .hasMessage("url: must use https (plain http only for a loopback host)");
        }

        @ParameterizedTest(name = "activation URL {0} is accepted")
        @ValueSource(strings = {"http://localhost:8080/activate", "http://LOCALHOST/activate",
                "http://127.0.0.1:8080/activate", "http://127.1.2.3/activate", "http://[::1]:8080/activate",
                "https://10.0.0.5/activate"})
        void plainHttpIsAcceptedForLoopbackHosts(String url) {
            EnrollmentUri uri = EnrollmentUri.of(URI.create(url), "c", "i", "u", Optional.empty());
            assertThat(EnrollmentUri.parse(uri.format()).activationUrl()).isEqualTo(URI.create(url));
        }

        @Test
        void inputOver1024BytesIsRefused() {
            String padded = VALID + "&future=" + "x".repeat(1024 - VALID.length() - 8);
            assertThat(padded).hasSize(1024);
            assertThat(EnrollmentUri.parse(padded).user()).isEqualTo("alice");
            assertThat(refusal(padded + "x").field()).isEqualTo("uri");
        }

        @Test
        void theLimitCountsUtf8BytesNotCharacters() {
            // é is one char but two UTF-8 bytes: 1024 characters, more than 1024 bytes
            String uri = VALID + "&future=" + "é".repeat(1024 - VALID.length() - 8);
            assertThat(uri).hasSize(1024);
            assertThat(refusal(uri).field()).isEqualTo("uri");
        }

        @Test
        void valuesThatWouldNotFitAreRefusedWhenBuilding() {
            assertThatThrownBy(() -> EnrollmentUri.of(URL, "c", "i", "é".repeat(200),
                    Optional.empty()))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("uri:");
        }

        @ParameterizedTest(name = "pin {0} is refused")
        @ValueSource(strings = {"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "sha1/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",
                "sha256/", "sha256/not*base64", "sha256/AAAA", "sha256/47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU",
                "sha256/47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"})
        void aPinThatIsNotSha256OfBase64Of32BytesIsRefused(String pin) {
            ProtocolException e = refusal(VALID + "&pin=" + UriCoding.encode(pin));
            assertThat(e.field()).isEqualTo("pin");
        }

        @Test
        void aRepeatedParameterIsRefused() {
            assertThat(refusal(VALID + "&user=mallory").field()).isEqualTo("user");
        }

        @Test
        void aControlCharacterInAFieldIsRefused() {
            assertThat(refusal(VALID.replace("user=alice", "user=al%0Aice")).field()).isEqualTo("user");
        }
    }
}
