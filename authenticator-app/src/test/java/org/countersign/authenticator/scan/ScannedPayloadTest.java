package org.countersign.authenticator.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.countersign.protocol.OtpType;
import org.junit.jupiter.api.Test;

class ScannedPayloadTest {

    @Test
    void anEnrollmentUriIsAnEnrollment() {
        ScannedPayload payload = ScannedPayload.classify("countersign://enroll?v=1&url=https%3A%2F%2Fmfa.example%2F"
                + "api%2Fv1%2Fenrollments%2Factivate&code=abcdefghijklmnopqrstuv&issuer=Contoso&user=alice");

        assertThat(payload).isInstanceOfSatisfying(ScannedPayload.Enrollment.class,
                enrollment -> assertThat(enrollment.uri().user()).isEqualTo("alice"));
    }

    @Test
    void anOtpauthUriIsAnOtpAuthAccount() {
        ScannedPayload payload = ScannedPayload.classify("otpauth://hotp/Bank:bob?secret=JBSWY3DPEHPK3PXP&counter=3");

        assertThat(payload).isInstanceOfSatisfying(ScannedPayload.OtpAuth.class,
                otp -> assertThat(otp.uri().type()).isEqualTo(OtpType.HOTP));
    }

    @Test
    void anythingElseIsRefusedQuotingAtMostSixtyCharacters() {
        String text = "https://example.com/" + "x".repeat(200);

        assertThatThrownBy(() -> ScannedPayload.classify(text))
                .isInstanceOf(ScanException.class)
                .hasMessageContaining("Not a Countersign enrollment code or an otpauth:// account")
                .hasMessageContaining("\"" + text.substring(0, 60) + "…\"")
                .hasMessageNotContaining(text.substring(0, 61));
    }

    @Test
    void aBrokenOtpauthUriNamesTheProblemWithoutShowingTheSecret() {
        assertThatThrownBy(() -> ScannedPayload.classify("otpauth://totp/X:y?secret=JBSWY3DPEHPK3PXP&digits=12"))
                .isInstanceOf(ScanException.class)
                .hasMessageContaining("digits")
                .hasMessageNotContaining("JBSWY3DPEHPK3PXP");
    }

    @Test
    void aBrokenEnrollmentUriNamesTheField() {
        assertThatThrownBy(() -> ScannedPayload.classify("countersign://enroll?v=1&url=http%3A%2F%2Fevil.example%2F"
                + "&code=abc&issuer=x&user=y"))
                .isInstanceOf(ScanException.class)
                .hasMessageContaining("url")
                .hasMessageNotContaining("code=abc");
    }
}
