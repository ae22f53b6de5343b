package org.countersign.authenticator.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultFileTest {
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

    private VaultFile vaultFile() {
        return new VaultFile(path, CHEAP, random, VaultFile.FileWriting.DIRECT);
    }

    private TotpAccount totp(String issuer, String name) {
        return TotpAccount.fromUri(Account.newId(random), OtpAuthUri.parse("otpauth://totp/" + issuer + ":" + name
                + "?secret=JBSWY3DPEHPK3PXP&issuer=" + issuer + "&algorithm=SHA256&digits=8&period=60"));
    }

    private PushAccount push() {
        return new PushAccount(Account.newId(random), "Contoso", "alice", "dev-1", URI.create("https://mfa.example"),
                URI.create("wss://mfa.example/api/v1/devices/dev-1/channel"), DeviceSigner.generate(random),
                OtpSecret.random(random, 20), Totp.DEFAULT, Optional.of("sha256/" + "A".repeat(43) + "="),
                Instant.parse("2025-01-02T03:04:05Z"));
    }

    private VaultFile vaultWith(Account... accounts) {
        VaultFile file = vaultFile();
        file.create(PASSPHRASE);
        file.update(PASSPHRASE, vault -> {
            for (Account account : accounts) {
                vault.add(account);
            }
            return null;
        });
        return file;
    }

    @Nested
    class RoundTrip {
        @Test
        void everyKindOfAccountComesBackAsItWasSaved() {
            TotpAccount totp = totp("GitHub", "alice");
            HotpAccount hotp = HotpAccount.fromUri(Account.newId(random),
                    OtpAuthUri.parse("otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&counter=41&digits=6"));
            PushAccount push = push();
            VaultFile file = vaultWith(totp, hotp, push);

            List<Account> accounts = file.read(PASSPHRASE).accounts();

            assertThat(accounts).extracting(Account::id).containsExactly(totp.id(), hotp.id(), push.id());
            TotpAccount readTotp = (TotpAccount) accounts.get(0);
            assertThat(readTotp.secret()).isEqualTo(totp.secret());
            assertThat(readTotp.totp()).isEqualTo(new Totp(HmacAlgorithm.SHA256, 8, 60));
            assertThat(readTotp.displayName()).isEqualTo("GitHub:alice");
            HotpAccount readHotp = (HotpAccount) accounts.get(1);
            assertThat(readHotp.counter()).isEqualTo(41);
            assertThat(readHotp.secret()).isEqualTo(hotp.secret());
            PushAccount readPush = (PushAccount) accounts.get(2);
            assertThat(readPush.signer().privateKeyBytes()).isEqualTo(push.signer().privateKeyBytes());
            assertThat(readPush.totpSecret()).isEqualTo(push.totpSecret());
            assertThat(readPush.channelUrl()).isEqualTo(push.channelUrl());
            assertThat(readPush.serviceUrl()).isEqualTo(push.serviceUrl());
            assertThat(readPush.tlsPin()).isEqualTo(push.tlsPin());
            assertThat(readPush.activatedAt()).isEqualTo(push.activatedAt());
            assertThat(readPush.deviceId()).isEqualTo("dev-1");
        }

        @Test
        void theFileHoldsNoSecretInPlainText() throws IOException {
            PushAccount push = push();
            vaultWith(totp("GitHub", "alice"), push);

            String bytes = new String(Files.readAllBytes(path), java.nio.charset.StandardCharsets.ISO_8859_1);

            assertThat(bytes).doesNotContain("JBSWY3DPEHPK3PXP", "alice", "GitHub", push.totpSecret().base32());
        }

        @Test
        void accountsNeverPrintTheirSecrets() {
            PushAccount push = push();
            TotpAccount totp = totp("GitHub", "alice");

            assertThat(push.toString()).doesNotContain(push.totpSecret().base32()).contains("redacted");
            assertThat(totp.toString()).doesNotContain("JBSWY3DPEHPK3PXP").contains("redacted");
        }

        @Test
        void everySaveUsesAFreshSaltAndNonce() throws IOException {
            VaultFile file = vaultWith(totp("GitHub", "alice"));
            byte[] before = Files.readAllBytes(path);

            file.update(PASSPHRASE, vault -> null);
            byte[] after = Files.readAllBytes(path);

            int saltStart = VaultHeader.MAGIC.length + 2 + 1 + VaultHeader.KDF_NAME.length() + 12 + 1;
            assertThat(java.util.Arrays.copyOfRange(after, saltStart, saltStart + 16))
                    .isNotEqualTo(java.util.Arrays.copyOfRange(before, saltStart, saltStart + 16));
            assertThat(java.util.Arrays.copyOfRange(after, after.length - 40, after.length))
                    .isNotEqualTo(java.util.Arrays.copyOfRange(before, before.length - 40, before.length));
        }

        @Test
        void theDefaultPathFollowsXdgDataHome() {
            Path home = Path.of("/home/alice");
            assertThat(VaultFile.defaultPath(name -> name.equals("XDG_DATA_HOME") ? "/data" : null, home))
                    .isEqualTo(Path.of("/data/countersign/vault.cs"));
            assertThat(VaultFile.defaultPath(name -> null, home))
                    .isEqualTo(Path.of("/home/alice/.local/share/countersign/vault.cs"));
            assertThat(VaultFile.defaultPath(name -> "relative/dir", home))
                    .isEqualTo(Path.of("/home/alice/.local/share/countersign/vault.cs"));
        }
    }

    @Nested
    class Refusals {
        @Test
        void aWrongPassphraseIsAClearErrorAndChangesNothing() throws IOException {
            VaultFile file = vaultWith(totp("GitHub", "alice"));
            byte[] before = Files.readAllBytes(path);

            assertThatThrownBy(() -> file.read("wrong".toCharArray()))
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("wrong passphrase or damaged file")
                    .hasMessageContaining(path.toString());
            assertThatThrownBy(() -> file.update("wrong".toCharArray(), vault -> {
                vault.add(totp("Evil", "mallory"));
                return null;
            })).isInstanceOf(VaultException.class);

            assertThat(Files.readAllBytes(path)).isEqualTo(before);
        }

        @Test
        void theErrorPointsAtTheBackupWhenThereIsOne() {
            VaultFile file = vaultWith(totp("GitHub", "alice"));

            assertThatThrownBy(() -> file.read("wrong".toCharArray()))
                    .hasMessageContaining(file.backupPath().toString());
        }

        @Test
        void everySingleByteFlipIsRefused() throws IOException {
            VaultFile file = vaultWith(totp("GitHub", "alice"));
            byte[] original = Files.readAllBytes(path);

            for (int i = 0; i < original.length; i++) {
                for (int bit : new int[] {0x01, 0x80}) {
                    byte[] tampered = original.clone();
                    tampered[i] ^= (byte) bit;
                    Files.write(path, tampered);
                    int position = i;
                    assertThatThrownBy(() -> file.read(PASSPHRASE))
                            .as("flip 0x%02x at byte %d of %d", bit, position, original.length)
                            .isInstanceOf(VaultException.class)
                            .hasMessageContaining("Nothing was changed");
                    assertThat(Files.readAllBytes(path)).isEqualTo(tampered);
                }
            }
            Files.write(path, original);
            assertThat(file.read(PASSPHRASE).accounts()).hasSize(1);
        }

        @Test
        void everyTruncationIsRefused() throws IOException {
            VaultFile file = vaultWith(totp("GitHub", "alice"));
            byte[] original = Files.readAllBytes(path);

            for (int length = 0; length < original.length; length++) {
                Files.write(path, java.util.Arrays.copyOf(original, length));
                assertThatThrownBy(() -> file.read(PASSPHRASE)).isInstanceOf(VaultException.class)
                        .hasMessageContaining("Cannot open the vault");
            }
        }

        @Test
        void extraBytesAtTheEndAreRefused() throws IOException {
            VaultFile file = vaultWith(totp("GitHub", "alice"));
            byte[] original = Files.readAllBytes(path);
            Files.write(path, ByteBuffer.allocate(original.length + 1).put(original).put((byte) 0).array());

            assertThatThrownBy(() -> file.read(PASSPHRASE)).isInstanceOf(VaultException.class);
        }

        @Test
        void aMissingVaultSaysHowToCreateOne() {
            assertThatThrownBy(() -> vaultFile().read(PASSPHRASE))
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("No vault at")
                    .hasMessageContaining("authenticator init");
        }

        @Test
        void createNeverOverwritesAnExistingFile() throws IOException {
            Files.writeString(path, "precious");

            assertThatThrownBy(() -> vaultFile().create(PASSPHRASE))
                    .isInstanceOf(VaultException.class).hasMessageContaining("already exists");
            assertThat(Files.readString(path)).isEqualTo("precious");
        }

        @Test
        void anEmptyPassphraseIsRefused() {
            assertThatThrownBy(() -> vaultFile().create(new char[0]))
                    .isInstanceOf(VaultException.class).hasMessageContaining("must not be empty");
        }

        @Test
        void headerCostsBeyondTheLimitsAreRefusedBeforeAnyWork() {
            assertThatThrownBy(() -> new KdfParameters(KdfParameters.MAX_MEMORY_KIB + 1, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new KdfParameters(64, 33, 1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new KdfParameters(64, 1, 17)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Saving {
        @Test
        void aSaveKeepsThePreviousVersionAsBak() throws IOException {
            VaultFile file = vaultWith(totp("GitHub", "alice"));
            byte[] previous = Files.readAllBytes(path);

            file.update(PASSPHRASE, vault -> {
                vault.add(totp("GitLab", "bob"));
                return null;
            });

            assertThat(Files.readAllBytes(file.backupPath())).isEqualTo(previous);
            VaultFile backup = new VaultFile(file.backupPath(), CHEAP, random, VaultFile.FileWriting.DIRECT);
            assertThat(backup.read(PASSPHRASE).accounts()).extracting(Account::displayName)
                    .containsExactly("GitHub:alice");
            assertThat(file.read(PASSPHRASE).accounts()).extracting(Account::displayName)
                    .containsExactly("GitHub:alice", "GitLab:bob");
        }

        @Test
        void anInterruptedSaveLeavesThePreviousVaultReadable() throws IOException {
            vaultWith(totp("GitHub", "alice"));
            byte[] before = Files.readAllBytes(path);
            VaultFile failing = new VaultFile(path, CHEAP, random, (channel, bytes) -> {
                channel.write(ByteBuffer.wrap(bytes, 0, bytes.length / 2));
                throw new IOException("No space left on device");
            });

            assertThatThrownBy(() -> failing.update(PASSPHRASE, vault -> {
                vault.add(totp("GitLab", "bob"));
                return null;
            })).isInstanceOf(VaultException.class)
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("previous version is unchanged");

            assertThat(Files.readAllBytes(path)).isEqualTo(before);
            assertThat(vaultFile().read(PASSPHRASE).accounts()).extracting(Account::displayName)
                    .containsExactly("GitHub:alice");
            try (var files = Files.list(directory)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
            }
        }

        @Test
        void aChangeThatFailsSavesNothing() throws IOException {
            VaultFile file = vaultWith(totp("GitHub", "alice"));
            byte[] before = Files.readAllBytes(path);

            assertThatThrownBy(() -> file.update(PASSPHRASE, vault -> {
                vault.add(totp("GitLab", "bob"));
                throw new IllegalStateException("activation refused");
            })).hasMessage("activation refused");

            assertThat(Files.readAllBytes(path)).isEqualTo(before);
        }

        @Test
        void concurrentUpdatesLoseNothing() throws Exception {
            VaultFile file = vaultWith();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    TotpAccount account = totp("Issuer" + i, "user");
                    VaultFile own = vaultFile();
                    futures.add(pool.submit(() -> own.update(PASSPHRASE, vault -> {
                        vault.add(account);
                        return null;
                    })));
                }
                for (Future<?> future : futures) {
                    future.get();
                }
            } finally {
                pool.shutdown();
            }
            assertThat(file.read(PASSPHRASE).accounts()).hasSize(8);
        }

        @Test
        void advancingAnHotpCounterReturnsTheCounterToUseAndSavesTheNext() {
            HotpAccount hotp = HotpAccount.fromUri(Account.newId(random),
                    OtpAuthUri.parse("otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQ&counter=7"));
            VaultFile file = vaultWith(hotp);

            HotpAccount used = file.update(PASSPHRASE, vault -> vault.advanceHotp(hotp.id()));

            assertThat(used.counter()).isEqualTo(7);
            assertThat(((HotpAccount) file.read(PASSPHRASE).accounts().get(0)).counter()).isEqualTo(8);
        }
    }

    @Nested
    class KeyDerivation {
        @Test
        void theArgon2ParametersComeFromTheHeaderAndSavesKeepThemWhenNotBelowTheCurrentOnes() throws IOException {
            KdfParameters unusual = new KdfParameters(256, 2, 2);
            VaultFile writer = new VaultFile(path, unusual, random, VaultFile.FileWriting.DIRECT);
            writer.create(PASSPHRASE);

            VaultFile reader = new VaultFile(path, CHEAP, random, VaultFile.FileWriting.DIRECT);
            Vault vault = reader.read(PASSPHRASE);

            assertThat(vault.kdf()).isEqualTo(unusual);
            assertThat(VaultHeader.parse(Files.readAllBytes(path)).kdf()).isEqualTo(unusual);
            reader.update(PASSPHRASE, v -> null);
            assertThat(VaultHeader.parse(Files.readAllBytes(path)).kdf()).isEqualTo(unusual);
        }

        @Test
        void theKeyIsArgon2idWithTheGivenCosts() {
            byte[] salt = new byte[16];
            byte[] a = VaultCipher.deriveKey("pw".toCharArray(), salt, new KdfParameters(64, 1, 1));
            byte[] b = VaultCipher.deriveKey("pw".toCharArray(), salt, new KdfParameters(64, 2, 1));
            byte[] i = argon2i("pw", salt);

            assertThat(a).hasSize(32).isNotEqualTo(b).isNotEqualTo(i);
        }

        private byte[] argon2i(String password, byte[] salt) {
            var parameters = new org.bouncycastle.crypto.params.Argon2Parameters.Builder(
                    org.bouncycastle.crypto.params.Argon2Parameters.ARGON2_i)
                    .withMemoryAsKB(64).withIterations(1).withParallelism(1).withSalt(salt).build();
            var generator = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
            generator.init(parameters);
            byte[] out = new byte[32];
            generator.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), out);
            return out;
        }

        @Test
        void aNewVaultUsesTheRealDefaultsOf64MiBThreePassesOneLane() throws IOException {
            VaultFile file = new VaultFile(path);
            file.create(PASSPHRASE);

            assertThat(VaultHeader.parse(Files.readAllBytes(path)).kdf())
                    .isEqualTo(new KdfParameters(65_536, 3, 1));
            assertThat(file.read(PASSPHRASE).accounts()).isEmpty();
            assertThatThrownBy(() -> file.read("nope".toCharArray())).isInstanceOf(VaultException.class);
        }
    }
}
