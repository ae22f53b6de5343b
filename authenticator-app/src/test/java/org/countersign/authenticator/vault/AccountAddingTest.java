package org.countersign.authenticator.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one core through which the CLI's scan/add and the GUI's "Add account" put accounts into a vault. */
class AccountAddingTest {
    private static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    private static final OtpAuthUri GITHUB = OtpAuthUri.parse(
            "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=GitHub");

    @TempDir
    Path directory;
    private final SecureRandom random = new SecureRandom();
    private boolean savesFail;
    private VaultFile file;

    @BeforeEach
    void emptyVault() {
        file = new VaultFile(directory.resolve("vault.cs"), KdfParameters.forTestsOnly(), random, (channel, bytes) -> {
            if (savesFail) {
                throw new IOException("No space left on device");
            }
            VaultFile.FileWriting.DIRECT.write(channel, bytes);
        });
        file.create(PASSPHRASE);
    }

    private PushAccount pushAccount() {
        return new PushAccount(Account.newId(random), "Contoso", "alice", "dev-42", URI.create("https://mfa.example"),
                URI.create("wss://mfa.example/api/v1/devices/dev-42/channel"), DeviceSigner.generate(random),
                OtpSecret.random(random, 20), Totp.DEFAULT, Optional.empty(), Instant.now());
    }

    private java.util.List<String> namesOnDisk() {
        return file.read(PASSPHRASE).accounts().stream().map(Account::displayName).toList();
    }

    @Nested
    class OtpAuthAccounts {
        @Test
        void anAccountIsSavedWithAFreshIdAndTheVaultAsSavedIsReturned() {
            AccountAdding.Added<Account> added = new AccountAdding(file).otpAuth(PASSPHRASE, GITHUB, random);

            assertThat(added.account()).isInstanceOf(TotpAccount.class);
            assertThat(added.account().id()).hasSize(32);
            assertThat(added.accounts()).extracting(Account::id).containsExactly(added.account().id());
            assertThat(namesOnDisk()).containsExactly("GitHub:alice");
        }

        @Test
        void theSameAccountTwiceIsRefusedAndNothingIsSaved() {
            AccountAdding adding = new AccountAdding(file);
            adding.otpAuth(PASSPHRASE, GITHUB, random);

            assertThatThrownBy(() -> adding.otpAuth(PASSPHRASE, GITHUB, random))
                    .isInstanceOf(AlreadyInVaultException.class)
                    .hasMessage("GitHub:alice is already in the vault.");
            assertThat(namesOnDisk()).containsExactly("GitHub:alice");
        }

        @Test
        void theSameNameWithAnotherSecretIsAnotherAccount() {
            AccountAdding adding = new AccountAdding(file);
            adding.otpAuth(PASSPHRASE, GITHUB, random);

            adding.otpAuth(PASSPHRASE, OtpAuthUri.parse(
                    "otpauth://totp/GitHub:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=GitHub"), random);

            assertThat(namesOnDisk()).containsExactly("GitHub:alice", "GitHub:alice");
        }
    }

    @Nested
    class Activations {
        @Test
        void theActivatedAccountIsSavedInTheSameUpdate() {
            PushAccount activated = pushAccount();

            AccountAdding.Added<PushAccount> added = new AccountAdding(file).activation(PASSPHRASE, () -> activated);

            assertThat(added.account()).isSameAs(activated);
            assertThat(file.read(PASSPHRASE).pushAccounts()).extracting(PushAccount::deviceId)
                    .containsExactly("dev-42");
        }

        @Test
        void aWrongPassphraseNeverSpendsTheActivationCode() {
            AtomicInteger activations = new AtomicInteger();

            assertThatThrownBy(() -> new AccountAdding(file).activation("wrong passphrase".toCharArray(), () -> {
                activations.incrementAndGet();
                return pushAccount();
            })).isInstanceOf(VaultException.class).hasMessageContaining("wrong passphrase");
            assertThat(activations).hasValue(0);
        }

        @Test
        void aRefusedActivationSavesNothing() {
            assertThatThrownBy(() -> new AccountAdding(file).activation(PASSPHRASE, () -> {
                throw new IllegalStateException("the code was already used");
            })).hasMessage("the code was already used");
            assertThat(namesOnDisk()).isEmpty();
        }

        @Test
        void anActivationThatCannotBeSavedNamesTheDeviceToRemove() {
            savesFail = true;

            assertThatThrownBy(() -> new AccountAdding(file).activation(PASSPHRASE, AccountAddingTest.this::pushAccount))
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("The device dev-42 was activated at Contoso but could not be saved: remove"
                            + " it in Security info and enroll again.");
            savesFail = false;
            assertThat(namesOnDisk()).isEmpty();
        }
    }
}
