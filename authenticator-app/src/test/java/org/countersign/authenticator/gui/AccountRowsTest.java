package org.countersign.authenticator.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.countersign.authenticator.otp.CodeGenerator;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.Test;

class AccountRowsTest {
    /** RFC 6238 Appendix B: the SHA1 seed at T = 59 s gives 94287082 (8 digits), 287082 (6 digits). */
    private static final OtpSecret RFC_SEED = OtpSecret.of("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    private static final Clock AT_59 = Clock.fixed(Instant.ofEpochSecond(59), ZoneOffset.UTC);

    private final AccountRows rows = new AccountRows(new CodeGenerator(AT_59));
    private final List<Account> accounts = List.of(
            new TotpAccount("a1", "Contoso", "alice@contoso.com", RFC_SEED, Totp.DEFAULT),
            new TotpAccount("a2", "Fabrikam", "bob", RFC_SEED, new Totp(HmacAlgorithm.SHA1, 8, 30)),
            new HotpAccount("a3", "", "router", RFC_SEED, HmacAlgorithm.SHA1, 6, 0));

    @Test
    void rowsCarryTheCurrentCodeGroupedAndTheSecondsLeft() {
        List<AccountRow> shown = rows.rows(accounts, "", Map.of());

        assertThat(shown).extracting(AccountRow::groupedCode).containsExactly("287 082", "9428 7082", "");
        assertThat(shown.get(0).secondsRemaining()).isEqualTo(1);
        assertThat(shown.get(0).periodSeconds()).isEqualTo(30);
        assertThat(shown.get(0).fractionRemaining()).isEqualTo(1.0 / 30);
        assertThat(shown.get(0).toString()).doesNotContain("287082");
    }

    @Test
    void anHotpCodeIsOnlyShownOnceAskedFor() {
        AccountRow hotp = rows.rows(accounts, "router", Map.of("a3", "755224")).get(0);

        assertThat(hotp.kind()).isEqualTo(AccountRow.Kind.HOTP);
        assertThat(hotp.groupedCode()).isEqualTo("755 224");
        assertThat(hotp.title()).isEqualTo("router");
    }

    @Test
    void theSearchMatchesEveryWordInIssuerOrNameIgnoringCase() {
        assertThat(rows.rows(accounts, "contoso", Map.of())).extracting(AccountRow::id).containsExactly("a1");
        assertThat(rows.rows(accounts, "  FAB  bob ", Map.of())).extracting(AccountRow::id).containsExactly("a2");
        assertThat(rows.rows(accounts, "fab alice", Map.of())).isEmpty();
        assertThat(rows.rows(accounts, " ", Map.of())).hasSize(3);
    }
}
