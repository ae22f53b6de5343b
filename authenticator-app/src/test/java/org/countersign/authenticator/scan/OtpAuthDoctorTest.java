package org.countersign.authenticator.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.countersign.authenticator.scan.Finding.Severity;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class OtpAuthDoctorTest {
    private static final String SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private final OtpAuthDoctor doctor = new OtpAuthDoctor();

    private static List<String> messages(Diagnosis diagnosis, Severity severity) {
        return diagnosis.findings().stream().filter(f -> f.severity() == severity).map(Finding::message).toList();
    }

    @Nested
    class FineUris {
        @Test
        void aCanonicalUriHasNoFindingsAndNormalisesToItself() {
            String uri = "otpauth://totp/GitHub:alice?secret=" + SECRET + "&issuer=GitHub&algorithm=SHA1&digits=6"
                    + "&period=30";

            Diagnosis diagnosis = doctor.examine(uri);

            assertThat(diagnosis.findings()).isEmpty();
            assertThat(diagnosis.normalised().orElseThrow().format()).isEqualTo(uri);
            assertThat(diagnosis.normalisedRedacted().orElseThrow()).contains("secret=***").doesNotContain(SECRET);
        }
    }

    @Nested
    class Findings {
        @Test
        void anIssuerInTheLabelThatDiffersFromTheParameterIsAWarningAndTheParameterWins() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/Acme:alice?secret=" + SECRET + "&issuer=AcmeCorp");

            assertThat(messages(diagnosis, Severity.WARNING)).singleElement().asString()
                    .contains("'Acme'", "'AcmeCorp'", "parameter wins");
            assertThat(diagnosis.normalised().orElseThrow().label()).isEqualTo("AcmeCorp:alice");
        }

        @Test
        void base32PaddingLowerCaseAndSpacesAreNotesAndNormalisedAway() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/A:a?issuer=A&secret=jbsw%20y3dp%20ehpk%203pxp"
                    + "%20jbsw%20y3dp%20ehpk%203pxp%3D%3D");

            assertThat(messages(diagnosis, Severity.NOTE)).anyMatch(m -> m.contains("padding"))
                    .anyMatch(m -> m.contains("lower case")).anyMatch(m -> m.contains("spaces"));
            assertThat(diagnosis.usable()).isTrue();
            assertThat(diagnosis.normalised().orElseThrow().format()).contains("secret=" + SECRET + "&");
        }

        @Test
        void aSecretUnder128BitsIsAWarning() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&issuer=A");

            assertThat(messages(diagnosis, Severity.WARNING)).singleElement().asString()
                    .contains("only 80 bits", "at least 128");
            assertThat(diagnosis.usable()).isTrue();
        }

        @Test
        void unknownParametersAreWarningsAndDropped() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/A:a?secret=" + SECRET + "&issuer=A&image=x"
                    + "&Digits=8");

            assertThat(messages(diagnosis, Severity.WARNING)).anyMatch(m -> m.contains("'image'"))
                    .anyMatch(m -> m.contains("'Digits'") && m.contains("case-sensitive"));
            assertThat(diagnosis.normalised().orElseThrow().format()).doesNotContain("image").contains("digits=6");
        }

        @Test
        void unencodedCharactersAreWarningsAndPercentEncoded() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/Bank of Zürich:bob?secret=" + SECRET
                    + "&issuer=Bank of Zürich");

            assertThat(messages(diagnosis, Severity.WARNING)).anyMatch(m -> m.contains("Unencoded space")
                    && m.contains("%20")).anyMatch(m -> m.contains("'ü'") && m.contains("%C3%BC"));
            assertThat(diagnosis.normalised().orElseThrow().format())
                    .startsWith("otpauth://totp/Bank%20of%20Z%C3%BCrich:bob?");
        }

        @Test
        void aMissingIssuerAndUnusualParametersAreReported() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/alice?secret=" + SECRET
                    + "&algorithm=SHA512&digits=7&period=60");

            assertThat(messages(diagnosis, Severity.WARNING)).anyMatch(m -> m.contains("No issuer"));
            assertThat(messages(diagnosis, Severity.NOTE)).anyMatch(m -> m.contains("SHA512"))
                    .anyMatch(m -> m.contains("7-digit")).anyMatch(m -> m.contains("60 s"));
        }

        @Test
        void anUnusualPeriodIsANoteAndKept() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/Vpn:carol?secret=" + SECRET + "&issuer=Vpn&period=90");

            assertThat(messages(diagnosis, Severity.NOTE)).singleElement().asString()
                    .contains("90 s", "not the usual 30 s");
            assertThat(diagnosis.normalised().orElseThrow().period()).isEqualTo(90);
        }

        @Test
        void aPeriodOfAnHourIsAWarningButStillUsable() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/Vpn:carol?secret=" + SECRET
                    + "&issuer=Vpn&period=3600");

            assertThat(messages(diagnosis, Severity.WARNING)).singleElement().asString()
                    .contains("3600 s (1 hour)", "stays valid that long");
            assertThat(diagnosis.usable()).isTrue();
            assertThat(diagnosis.normalised().orElseThrow().period()).isEqualTo(3600);
        }

        @Test
        void aPeriodOfADayIsTheLongestAccepted() {
            assertThat(doctor.examine("otpauth://totp/V:c?secret=" + SECRET + "&issuer=V&period=86400").usable())
                    .isTrue();

            Diagnosis tooLong = doctor.examine("otpauth://totp/V:c?secret=" + SECRET + "&issuer=V&period=86401");

            assertThat(tooLong.usable()).isFalse();
            assertThat(messages(tooLong, Severity.ERROR)).singleElement().asString().contains("1 to 86400 s");
        }

        @Test
        void aPlusSignIsExplained() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/A+B:a?secret=" + SECRET + "&issuer=A+B");

            assertThat(messages(diagnosis, Severity.NOTE)).anyMatch(m -> m.contains("'+' is read as a plus sign"));
        }
    }

    @Nested
    class UnusableUris {
        @Test
        void anInvalidSecretIsAnError() {
            Diagnosis diagnosis = doctor.examine("otpauth://totp/A:a?secret=AB1C&issuer=A");

            assertThat(diagnosis.usable()).isFalse();
            assertThat(messages(diagnosis, Severity.ERROR)).singleElement().asString().contains("not valid Base32");
            assertThat(diagnosis.normalised()).isEmpty();
        }

        @Test
        void aMissingSecretOrCounterOrTypeIsAnError() {
            assertThat(doctor.examine("otpauth://totp/A:a?issuer=A").usable()).isFalse();
            assertThat(doctor.examine("otpauth://hotp/A:a?secret=" + SECRET).usable()).isFalse();
            assertThat(doctor.examine("otpauth://motp/A:a?secret=" + SECRET).usable()).isFalse();
        }

        @Test
        void somethingElseEntirelyIsAnError() {
            assertThat(messages(doctor.examine("https://example.com"), Severity.ERROR))
                    .containsExactly("Not an otpauth:// URI.");
            assertThat(messages(doctor.examine("otpauth-migration://offline?data=x"), Severity.ERROR))
                    .singleElement().asString().contains("authenticator import");
        }
    }
}
