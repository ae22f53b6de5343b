package org.countersign.authenticator.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.HmacAlgorithm;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class GoogleMigrationImporterTest {
    private static final byte[] SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private final GoogleMigrationImporter importer = new GoogleMigrationImporter(new SecureRandom());

    @Nested
    class OnePayload {
        @Test
        void totpAndHotpEntriesBecomeAccountsWithTheirParameters() {
            String uri = new TestMigrationEncoder()
                    .entry(SECRET, "GitHub:alice", "GitHub", 1, 1, 2, 0)
                    .entry(SECRET, "bob", "Bank", 3, 2, 1, 42)
                    .uri(1, 0, 7);

            ImportedAccounts imported = importer.read(List.of(uri));

            assertThat(imported.notCarriedOver()).isEmpty();
            assertThat(imported.accounts()).extracting(Account::displayName).containsExactly("GitHub:alice", "Bank:bob");
            TotpAccount totp = (TotpAccount) imported.accounts().get(0);
            assertThat(totp.secret().bytes()).isEqualTo(SECRET);
            assertThat(totp.totp().digits()).isEqualTo(6);
            assertThat(totp.totp().periodSeconds()).isEqualTo(30);
            HotpAccount hotp = (HotpAccount) imported.accounts().get(1);
            assertThat(hotp.algorithm()).isEqualTo(HmacAlgorithm.SHA512);
            assertThat(hotp.digits()).isEqualTo(8);
            assertThat(hotp.counter()).isEqualTo(42);
        }

        @Test
        void md5AndUnknownTypesAreReportedNotImported() {
            String uri = new TestMigrationEncoder()
                    .entry(SECRET, "old", "Legacy", 4, 1, 2, 0)
                    .entry(SECRET, "odd", "Future", 1, 1, 9, 0)
                    .entry(SECRET, "ok", "Fine", 0, 0, 2, 0)
                    .uri(1, 0, 7);

            ImportedAccounts imported = importer.read(List.of(uri));

            assertThat(imported.accounts()).extracting(Account::displayName).containsExactly("Fine:ok");
            assertThat(imported.notCarriedOver()).hasSize(2);
            assertThat(imported.notCarriedOver().get(0)).contains("Legacy:old", "MD5");
            assertThat(imported.notCarriedOver().get(1)).contains("Future:odd", "unknown account type 9");
        }

        @Test
        void aDamagedPayloadIsAClearError() {
            assertThatThrownBy(() -> importer.read(List.of("otpauth-migration://offline?data=CgU%3D")))
                    .isInstanceOf(ImportException.class).hasMessageContaining("damaged");
            assertThatThrownBy(() -> importer.read(List.of("otpauth://totp/x?secret=AAAA")))
                    .isInstanceOf(ImportException.class).hasMessageContaining("Not a Google Authenticator export");
        }
    }

    @Nested
    class Batches {
        @Test
        void everyBatchIsReadOnceEvenWhenScannedTwice() {
            String first = new TestMigrationEncoder().entry(SECRET, "a", "One", 1, 1, 2, 0).uri(2, 0, 99);
            String second = new TestMigrationEncoder().entry(SECRET, "b", "Two", 1, 1, 2, 0).uri(2, 1, 99);

            ImportedAccounts imported = importer.read(List.of(first, second, first));

            assertThat(imported.accounts()).extracting(Account::displayName).containsExactly("One:a", "Two:b");
            assertThat(imported.notCarriedOver()).isEmpty();
        }

        @Test
        void aMissingBatchIsReported() {
            String second = new TestMigrationEncoder().entry(SECRET, "b", "Two", 1, 1, 2, 0).uri(3, 1, 99);

            ImportedAccounts imported = importer.read(List.of(second));

            assertThat(imported.accounts()).hasSize(1);
            assertThat(imported.notCarriedOver()).containsExactly(
                    "QR code 1 of 3 of this export was not given; scan it too to import its accounts.",
                    "QR code 3 of 3 of this export was not given; scan it too to import its accounts.");
        }
    }
}
