package org.countersign.authenticator.imports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.countersign.authenticator.vault.Account;
import org.junit.jupiter.api.Test;

class UriListImporterTest {
    /** Written by hand from the Key URI format description. */
    private static final String FIXTURE = String.join("\n",
            "# exported by hand for this test",
            "",
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub",
            "   otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&counter=3&digits=8   ",
            "otpauth://totp/Broken:eve?secret=!!!",
            "https://example.com/not-a-uri",
            new TestMigrationEncoder().entry("12345678901234567890".getBytes(StandardCharsets.US_ASCII), "carol",
                    "Google", 1, 1, 2, 0).uri(1, 0, 1),
            "");

    @Test
    void readsEveryUriSkipsCommentsAndReportsUnusableLinesByNumber() {
        ImportedAccounts imported = new UriListImporter(new SecureRandom()).read(FIXTURE);

        assertThat(imported.accounts()).extracting(Account::displayName)
                .containsExactly("GitHub:alice", "Bank:bob", "Google:carol");
        assertThat(imported.notCarriedOver()).hasSize(2);
        assertThat(imported.notCarriedOver().get(0)).startsWith("Line 5: secret").doesNotContain("!!!");
        assertThat(imported.notCarriedOver().get(1)).startsWith("Line 6: not an otpauth:// URI");
    }
}
