package org.countersign.authenticator.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.ProtocolException;
import org.junit.jupiter.api.Test;

class ManualEntryTest {
    @Test
    void aKeyAsIssuersPrintItIsAccepted() {
        OtpAuthUri uri = ManualEntry.build(OtpType.TOTP, " Contoso ", "alice", "jbsw y3dp-ehpk 3pxp".toCharArray(),
                HmacAlgorithm.SHA256, 8, 60, 0);

        assertThat(uri.issuer()).isEqualTo("Contoso");
        assertThat(uri.secret().base32()).isEqualTo("JBSWY3DPEHPK3PXP");
        assertThat(uri.digits()).isEqualTo(8);
        assertThat(uri.period()).isEqualTo(60);
    }

    @Test
    void aTypedKeyMayHaveAnyPeriodUpToADay() {
        OtpAuthUri hourly = ManualEntry.build(OtpType.TOTP, "Vpn", "carol", "JBSWY3DPEHPK3PXP".toCharArray(),
                HmacAlgorithm.SHA1, 6, 3600, 0);

        assertThat(hourly.period()).isEqualTo(3600);
        assertThatThrownBy(() -> ManualEntry.build(OtpType.TOTP, "Vpn", "carol", "JBSWY3DPEHPK3PXP".toCharArray(),
                HmacAlgorithm.SHA1, 6, 86_401, 0))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("period");
    }

    @Test
    void errorsNameTheField() {
        assertThatThrownBy(() -> ManualEntry.build(OtpType.TOTP, "", "alice", "not base32!".toCharArray(),
                HmacAlgorithm.SHA1, 6, 30, 0))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("secret");
        assertThatThrownBy(() -> ManualEntry.build(OtpType.TOTP, "", " ", "JBSWY3DP".toCharArray(),
                HmacAlgorithm.SHA1, 6, 30, 0))
                .hasMessageContaining("account");
        assertThatThrownBy(() -> ManualEntry.build(OtpType.TOTP, "", "alice", new char[0], HmacAlgorithm.SHA1, 6,
                30, 0))
                .hasMessageContaining("secret");
    }

    @Test
    void thePreviewShowsWhatWillBeAdded() {
        OtpAuthUri uri = ManualEntry.build(OtpType.HOTP, "Router", "admin", "JBSWY3DPEHPK3PXP".toCharArray(),
                HmacAlgorithm.SHA1, 6, 30, 7);

        AccountPreview preview = AccountPreview.of(new ScannedPayload.OtpAuth(uri));

        assertThat(preview.fields()).extracting(AccountPreview.Field::label)
                .containsExactly("Issuer", "Account", "Type", "Algorithm", "Digits", "Counter", "Secret");
        assertThat(preview.fields()).contains(new AccountPreview.Field("Counter", "7"),
                new AccountPreview.Field("Secret", "80 bits (shorter than the recommended 128)"));
    }
}
