package org.countersign.authenticator.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.authenticator.vault.VaultException;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.OtpAuthUri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountersignBackupImporterTest {
    @TempDir
    Path directory;

    @Test
    void aVaultFileUnderItsOwnPassphraseIsReadWithItsAccountsAndIds() {
        SecureRandom random = new SecureRandom();
        TotpAccount account = TotpAccount.fromUri(Account.newId(random),
                OtpAuthUri.parse("otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub"));
        Path fixture = directory.resolve("backup.cs");
        new VaultFile(fixture, KdfParameters.forTestsOnly(), random, VaultFile.FileWriting.DIRECT)
                .create("backup pass".toCharArray(), 0, List.of(account));

        ImportedAccounts imported = new CountersignBackupImporter().read(fixture, "backup pass".toCharArray());

        assertThat(imported.accounts()).extracting(Account::id).containsExactly(account.id());
        assertThat(imported.notCarriedOver()).isEmpty();
        assertThatThrownBy(() -> new CountersignBackupImporter().read(fixture, "wrong".toCharArray()))
                .isInstanceOf(VaultException.class).hasMessageContaining("wrong passphrase");
    }
}
