package org.countersign.authenticator.otp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.Test;

class CodeGeneratorTest {
    private static final OtpSecret RFC_SEED = OtpSecret.of("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

    private static CodeGenerator at(long epochSecond) {
        return new CodeGenerator(Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC));
    }

    @Test
    void theTotpCodeIsTheRfc6238VectorForTheClockTime() {
        TotpCode code = at(59).totp(RFC_SEED, new Totp(HmacAlgorithm.SHA1, 8, 30));

        assertThat(code.code()).isEqualTo("94287082");
    }

    @Test
    void theSecondsRemainingCountDownToTheEndOfThePeriod() {
        Totp totp = Totp.DEFAULT;
        assertThat(at(60).totp(RFC_SEED, totp).secondsRemaining()).isEqualTo(30);
        assertThat(at(59).totp(RFC_SEED, totp).secondsRemaining()).isEqualTo(1);
        assertThat(at(75).totp(RFC_SEED, totp).secondsRemaining()).isEqualTo(15);
        assertThat(at(75).totp(RFC_SEED, new Totp(HmacAlgorithm.SHA1, 6, 60)).secondsRemaining()).isEqualTo(45);
    }

    @Test
    void theHotpCodeUsesTheAccountsCounterAsTheRfc4226Vectors() {
        HotpAccount account = new HotpAccount("id1", "", "x", RFC_SEED, HmacAlgorithm.SHA1, 6, 0);

        assertThat(at(0).hotp(account)).isEqualTo("755224");
        assertThat(at(0).hotp(account.withCounter(9))).isEqualTo("520489");
    }
}
