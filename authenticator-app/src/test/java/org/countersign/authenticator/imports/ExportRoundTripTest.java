package org.countersign.authenticator.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.countersign.authenticator.scan.QrDecoder;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportRoundTripTest {
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path directory;

    private List<Account> accounts() {
        return List.of(
                TotpAccount.fromUri(Account.newId(random), OtpAuthUri.parse(
                        "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub&algorithm=SHA256&digits=8")),
                HotpAccount.fromUri(Account.newId(random), OtpAuthUri.parse(
                        "otpauth://hotp/Bank%20of%20Z:bob%40mail?secret=GEZDGNBVGY3TQOJQ&counter=12")),
                new PushAccount(Account.newId(random), "Contoso", "alice", "dev-1", URI.create("https://mfa.example"),
                        URI.create("wss://mfa.example/api/v1/devices/dev-1/channel"), DeviceSigner.generate(random),
                        OtpSecret.random(random, 20), Totp.DEFAULT, Optional.empty(), Instant.EPOCH));
    }

    /** Type, name, secret and parameters: everything but the id. */
    private static List<String> essence(List<Account> accounts) {
        List<String> out = new ArrayList<>();
        for (Account account : accounts) {
            if (account instanceof TotpAccount totp) {
                out.add("totp " + totp.displayName() + " " + totp.secret().base32() + " " + totp.totp());
            } else if (account instanceof HotpAccount hotp) {
                out.add("hotp " + hotp.displayName() + " " + hotp.secret().base32() + " " + hotp.algorithm() + " "
                        + hotp.digits() + " " + hotp.counter());
            } else {
                out.add("push " + account.displayName());
            }
        }
        return out;
    }

    @Nested
    class UriLists {
        @Test
        void exportThenImportGivesTheSameAccountsWithoutThePushOne() {
            List<Account> accounts = accounts();
            PlaintextExport export = new UriListExporter().export(accounts);

            ImportedAccounts back = new UriListImporter(random).read(String.join("\n", export.pieces()));

            assertThat(essence(back.accounts())).isEqualTo(essence(accounts.subList(0, 2)));
            assertThat(export.notCarriedOver()).singleElement().asString()
                    .contains("Contoso:alice", "never exported in plaintext");
            assertThat(export.toString()).doesNotContain("JBSWY3DPEHPK3PXP");
        }
    }

    @Nested
    class GoogleMigration {
        @Test
        void exportThenImportGivesTheSameAccounts() {
            List<Account> accounts = accounts();
            PlaintextExport export = new GoogleMigrationExporter(random).export(accounts);

            ImportedAccounts back = new GoogleMigrationImporter(random).read(export.pieces());

            assertThat(essence(back.accounts())).isEqualTo(essence(accounts.subList(0, 2)));
            assertThat(back.notCarriedOver()).isEmpty();
        }

        @Test
        void whatTheFormatCannotSayIsReported() {
            List<Account> odd = List.of(TotpAccount.fromUri(Account.newId(random), OtpAuthUri.parse(
                    "otpauth://totp/A:a?secret=JBSWY3DPEHPK3PXP&period=60")),
                    TotpAccount.fromUri(Account.newId(random), OtpAuthUri.parse(
                            "otpauth://totp/B:b?secret=JBSWY3DPEHPK3PXP&digits=7")));

            PlaintextExport export = new GoogleMigrationExporter(random).export(odd);

            assertThat(export.accountCount()).isZero();
            assertThat(export.notCarriedOver()).hasSize(2);
        }

        @Test
        void manyAccountsAreSplitIntoBatchesThatImportTogetherFromQrImages() throws Exception {
            List<Account> many = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                many.add(TotpAccount.fromUri(Account.newId(random), OtpAuthUri.totp("Issuer" + i, "user" + i,
                        OtpSecret.random(random, 20), Totp.DEFAULT)));
            }
            PlaintextExport export = new GoogleMigrationExporter(random).export(many);
            assertThat(export.pieces()).hasSize(3).allMatch(uri -> uri.length() <= 1100);

            List<Path> images = GoogleMigrationExporter.writeQrImages(export, directory.resolve("qr"));
            List<String> scanned = new ArrayList<>();
            for (Path image : images) {
                scanned.addAll(new QrDecoder().decode(image));
            }
            ImportedAccounts back = new GoogleMigrationImporter(random).read(scanned);

            assertThat(images).extracting(p -> p.getFileName().toString()).containsExactly(
                    "google-export-1-of-3.png", "google-export-2-of-3.png", "google-export-3-of-3.png");
            assertThat(essence(back.accounts())).isEqualTo(essence(many));
            assertThatThrownBy(() -> GoogleMigrationExporter.writeQrImages(export, directory.resolve("qr")))
                    .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        }
    }

    @Nested
    class EncryptedBackups {
        @Test
        void exportThenImportGivesTheSameAccountsIncludingPushWhenAsked() {
            List<Account> accounts = accounts();
            Path file = directory.resolve("export.cs");

            List<String> notes = new CountersignBackupExporter(KdfParameters.forTestsOnly(), random)
                    .export(file, "export pass".toCharArray(), accounts, true);
            ImportedAccounts back = new CountersignBackupImporter().read(file, "export pass".toCharArray());

            assertThat(notes).isEmpty();
            assertThat(essence(back.accounts())).isEqualTo(essence(accounts));
            assertThat(ImportFormat.detect(readAll(file))).isEqualTo(ImportFormat.COUNTERSIGN_BACKUP);
        }

        @Test
        void pushAccountsAreLeftOutUnlessAsked() {
            Path file = directory.resolve("export.cs");

            List<String> notes = new CountersignBackupExporter(KdfParameters.forTestsOnly(), random)
                    .export(file, "export pass".toCharArray(), accounts(), false);

            assertThat(notes).singleElement().asString().contains("--include-push");
            assertThat(new CountersignBackupImporter().read(file, "export pass".toCharArray()).accounts()).hasSize(2);
        }
    }

    @Test
    void formatsAreToldApartByContent() {
        assertThat(ImportFormat.detect(AegisImporterTest.plain().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ImportFormat.AEGIS);
        assertThat(ImportFormat.detect("otpauth://totp/a?secret=AAAA\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ImportFormat.URI_LIST);
        assertThatThrownBy(() -> ImportFormat.detect(new byte[] {1, 0, 2})).isInstanceOf(ImportException.class);
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
