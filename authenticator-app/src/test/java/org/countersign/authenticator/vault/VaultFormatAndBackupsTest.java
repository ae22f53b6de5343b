package org.countersign.authenticator.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.countersign.protocol.OtpAuthUri;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultFormatAndBackupsTest {
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final KdfParameters CHEAP = KdfParameters.forTestsOnly();

    @TempDir
    Path directory;
    private Path path;
    private final SecureRandom random = new SecureRandom();

    @BeforeEach
    void setUp() {
        path = directory.resolve("vault.cs");
    }

    private VaultFile vaultFile(KdfParameters current) {
        return new VaultFile(path, current, random, VaultFile.FileWriting.DIRECT);
    }

    private TotpAccount totp(String issuer) {
        return TotpAccount.fromUri(Account.newId(random),
                OtpAuthUri.parse("otpauth://totp/" + issuer + ":alice?secret=JBSWY3DPEHPK3PXP&issuer=" + issuer));
    }

    private void add(VaultFile file, String issuer) {
        file.update(PASSPHRASE, vault -> {
            vault.add(totp(issuer));
            return null;
        });
    }

    private static List<String> names(VaultFile file) {
        return file.read(PASSPHRASE).accounts().stream().map(Account::displayName).toList();
    }

    @Nested
    class FormatVersions {
        @Test
        void aVersionOneFileOpensAndIsRewrittenAsTheCurrentVersionOnTheNextSave() throws Exception {
            Files.write(path, VaultV1Writer.write(new String(PASSPHRASE), 64, 1, "GitHub", "alice",
                    "JBSWY3DPEHPK3PXP"));
            VaultFile file = vaultFile(CHEAP);

            Vault old = file.read(PASSPHRASE);
            assertThat(old.formatVersion()).isEqualTo(1);
            assertThat(old.backupCount()).isEqualTo(VaultFile.DEFAULT_BACKUPS);
            assertThat(old.accounts()).extracting(Account::displayName).containsExactly("GitHub:alice");

            add(file, "GitLab");

            byte[] saved = Files.readAllBytes(path);
            assertThat(ByteBuffer.wrap(saved, 8, 2).getShort()).isEqualTo((short) VaultHeader.FORMAT_VERSION);
            assertThat(file.read(PASSPHRASE).formatVersion()).isEqualTo(2);
            assertThat(names(file)).containsExactly("GitHub:alice", "GitLab:alice");
            assertThat(ByteBuffer.wrap(Files.readAllBytes(file.backupPath(1)), 8, 2).getShort()).isEqualTo((short) 1);
        }

        @Test
        void aFileFromANewerVersionIsRefusedWithAClearMessage() throws IOException {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            byte[] bytes = Files.readAllBytes(path);
            bytes[9] = 3;
            Files.write(path, bytes);

            assertThatThrownBy(() -> file.read(PASSPHRASE)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("unsupported vault format version 3")
                    .hasMessageContaining("newer version");
        }

        @Test
        void clockChecksSurviveASave() {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            ClockCheck check = new ClockCheck("https://mfa.example", Duration.ofMillis(-20_500),
                    Instant.parse("2025-01-02T03:04:05Z"));

            file.update(PASSPHRASE, vault -> {
                vault.recordClockCheck(check);
                return null;
            });

            assertThat(file.read(PASSPHRASE).clockChecks()).containsEntry("https://mfa.example", check);
        }
    }

    @Nested
    class Argon2Costs {
        @Test
        void costsBelowTheCurrentOnesAreRaisedOnSave() throws IOException {
            vaultFile(CHEAP).create(PASSPHRASE);
            KdfParameters stronger = new KdfParameters(256, 2, 1);

            vaultFile(stronger).update(PASSPHRASE, vault -> null);

            assertThat(VaultHeader.parse(Files.readAllBytes(path)).kdf()).isEqualTo(stronger);
            assertThat(vaultFile(CHEAP).read(PASSPHRASE).kdf()).isEqualTo(stronger);
        }

        @Test
        void costsAboveTheCurrentOnesAreNeverLowered() throws IOException {
            KdfParameters strong = new KdfParameters(512, 3, 2);
            vaultFile(strong).create(PASSPHRASE);

            vaultFile(new KdfParameters(256, 1, 1)).update(PASSPHRASE, vault -> null);

            assertThat(VaultHeader.parse(Files.readAllBytes(path)).kdf()).isEqualTo(strong);
        }
    }

    @Nested
    class Backups {
        @Test
        void savesKeepTheLastThreeVersionsNewestFirst() {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            for (String issuer : List.of("A", "B", "C", "D", "E")) {
                add(file, issuer);
            }

            assertThat(file.backups()).containsExactly(file.backupPath(1), file.backupPath(2), file.backupPath(3));
            assertThat(names(file)).hasSize(5);
            assertThat(names(new VaultFile(file.backupPath(1)))).hasSize(4);
            assertThat(names(new VaultFile(file.backupPath(2)))).hasSize(3);
            assertThat(names(new VaultFile(file.backupPath(3)))).hasSize(2);
            assertThat(file.backupPath(4)).doesNotExist();
        }

        @Test
        void theNumberOfBackupsIsKeptInTheHeader() {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE, 1, List.of());
            add(file, "A");
            add(file, "B");

            assertThat(file.read(PASSPHRASE).backupCount()).isEqualTo(1);
            assertThat(file.backups()).containsExactly(file.backupPath(1));
        }

        @Test
        void aDamagedVaultNamesTheNewestBackupAndHowToCheckIt() throws IOException {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            add(file, "A");
            add(file, "B");
            byte[] bytes = Files.readAllBytes(path);
            Files.write(path, Arrays.copyOf(bytes, bytes.length / 2));

            assertThatThrownBy(() -> file.read(PASSPHRASE)).isInstanceOf(VaultException.class)
                    .hasMessageContaining("The newest backup is " + file.backupPath(1))
                    .hasMessageContaining("authenticator verify-backup")
                    .hasMessageContaining("1 older backup is next to it");
        }

        @Test
        void aDamagedVaultWithoutBackupsSaysSo() throws IOException {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            Files.write(path, new byte[] {'C', 'S'});

            assertThatThrownBy(() -> file.read(PASSPHRASE)).hasMessageContaining("There is no backup of it.");
        }
    }

    @Nested
    class KilledDuringASave {
        /**
         * A kill cannot be caught, so the write copies the directory as the kill would leave it (half the new
         * version in a temporary file, nothing renamed) and then stops the save.
         */
        @Test
        void theVaultLeftOnDiskStaysReadableAndTheNextSaveCleansUp() throws IOException {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            add(file, "A");
            Path afterKill = Files.createDirectory(directory.resolve("after-kill"));
            VaultFile killed = new VaultFile(path, CHEAP, random, (channel, bytes) -> {
                channel.write(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
                channel.force(true);
                try (var files = Files.list(directory)) {
                    for (Path each : (Iterable<Path>) files::iterator) {
                        if (Files.isRegularFile(each)) {
                            Files.copy(each, afterKill.resolve(each.getFileName()));
                        }
                    }
                }
                throw new IOException("killed");
            });

            assertThatThrownBy(() -> add(killed, "B")).isInstanceOf(VaultException.class);

            VaultFile survivor = new VaultFile(afterKill.resolve("vault.cs"), CHEAP, random,
                    VaultFile.FileWriting.DIRECT);
            try (var files = Files.list(afterKill)) {
                assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".tmp"));
            }
            assertThat(survivor.read(PASSPHRASE).accounts()).extracting(Account::displayName)
                    .containsExactly("A:alice");
            survivor.update(PASSPHRASE, vault -> {
                vault.add(totp("B"));
                return null;
            });
            try (var files = Files.list(afterKill)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
            }
            assertThat(survivor.read(PASSPHRASE).accounts()).hasSize(2);
        }
    }

    @Nested
    class ChangingThePassphrase {
        @Test
        void theNewPassphraseOpensTheVaultAndItsBackupsAndTheOldOneNothing() {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            add(file, "A");
            char[] fresh = "a brand new passphrase".toCharArray();

            VaultFile.Rekeyed rekeyed = file.changePassphrase(PASSPHRASE, fresh);

            assertThat(file.read(fresh).accounts()).hasSize(1);
            assertThatThrownBy(() -> file.read(PASSPHRASE)).isInstanceOf(VaultException.class);
            assertThat(rekeyed.rekeyed()).containsExactlyElementsOf(file.backups());
            assertThat(rekeyed.left()).isEmpty();
            for (Path backup : file.backups()) {
                assertThat(new VaultFile(backup).read(fresh)).isNotNull();
                assertThatThrownBy(() -> new VaultFile(backup).read(PASSPHRASE)).isInstanceOf(VaultException.class);
            }
        }

        @Test
        void aWrongOldPassphraseChangesNothing() throws IOException {
            VaultFile file = vaultFile(CHEAP);
            file.create(PASSPHRASE);
            byte[] before = Files.readAllBytes(path);

            assertThatThrownBy(() -> file.changePassphrase("wrong".toCharArray(), "new one".toCharArray()))
                    .isInstanceOf(VaultException.class);
            assertThat(Files.readAllBytes(path)).isEqualTo(before);
        }
    }
}
