package org.countersign.authenticator.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.authenticator.vault.VaultException;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.OtpAuthUri;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultSessionTest {
    private static final char[] PASSPHRASE = "correct horse battery".toCharArray();
    private static final String TOTP = "otpauth://totp/Contoso:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Contoso";
    private static final String HOTP = "otpauth://hotp/Router:admin?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&counter=5";

    @TempDir
    Path directory;
    private final SecureRandom random = new SecureRandom();

    private VaultFile file() {
        return new VaultFile(directory.resolve("vault.cs"), KdfParameters.forTestsOnly(), random,
                VaultFile.FileWriting.DIRECT);
    }

    @Nested
    class Creating {
        @Test
        void twoDifferentPassphrasesCreateNothing() {
            assertThatThrownBy(() -> VaultSession.create(file(), "long enough 1".toCharArray(),
                    "long enough 2".toCharArray()))
                    .isInstanceOf(VaultException.class).hasMessageContaining("differ");
            assertThat(file().exists()).isFalse();
        }

        @Test
        void aShortPassphraseIsRefused() {
            assertThatThrownBy(() -> VaultSession.create(file(), "short".toCharArray(), "short".toCharArray()))
                    .hasMessageContaining("at least 8");
        }

        @Test
        void aNewVaultIsEmptyAndOpensWithItsPassphrase() {
            assertThat(VaultSession.create(file(), PASSPHRASE, PASSPHRASE.clone()).accounts()).isEmpty();
            assertThat(VaultSession.unlock(file(), PASSPHRASE).accounts()).isEmpty();
        }
    }

    @Nested
    class Unlocking {
        @Test
        void aWrongPassphraseGivesASentenceNotAStackTrace() {
            VaultSession.create(file(), PASSPHRASE, PASSPHRASE.clone());

            assertThatThrownBy(() -> VaultSession.unlock(file(), "wrong passphrase".toCharArray()))
                    .isInstanceOf(VaultException.class)
                    .hasMessageContaining("wrong passphrase")
                    .hasMessageNotContaining("Exception");
        }
    }

    @Nested
    class Changing {
        @Test
        void anAddedAccountIsSavedAtOnce() {
            VaultSession session = VaultSession.create(file(), PASSPHRASE, PASSPHRASE.clone());

            Account added = session.add(OtpAuthUri.parse(TOTP), random);

            assertThat(session.accounts()).containsExactly(added);
            assertThat(VaultSession.unlock(file(), PASSPHRASE).accounts()).extracting(Account::displayName)
                    .containsExactly("Contoso:alice");
        }

        @Test
        void theSameAccountTwiceIsRefused() {
            VaultSession session = VaultSession.create(file(), PASSPHRASE, PASSPHRASE.clone());
            session.add(OtpAuthUri.parse(TOTP), random);

            assertThatThrownBy(() -> session.add(OtpAuthUri.parse(TOTP), random))
                    .hasMessageContaining("already in the vault");
        }

        @Test
        void theHotpCounterIsSavedBeforeTheCodeIsMade() {
            VaultSession session = VaultSession.create(file(), PASSPHRASE, PASSPHRASE.clone());
            Account added = session.add(OtpAuthUri.parse(HOTP), random);

            HotpAccount used = session.nextHotp(added.id());

            assertThat(used.counter()).isEqualTo(5);
            HotpAccount saved = (HotpAccount) VaultSession.unlock(file(), PASSPHRASE).accounts().get(0);
            assertThat(saved.counter()).isEqualTo(6);
        }
    }

    @Nested
    class Locking {
        @Test
        void lockingWipesTheSecretsAndRefusesChanges() {
            VaultSession session = VaultSession.create(file(), PASSPHRASE, PASSPHRASE.clone());
            TotpAccount added = (TotpAccount) session.add(OtpAuthUri.parse(TOTP), random);

            session.lock();

            assertThat(session.isLocked()).isTrue();
            assertThat(session.accounts()).isEmpty();
            assertThat(added.secret().isWiped()).isTrue();
            assertThatThrownBy(() -> session.add(OtpAuthUri.parse(HOTP), random)).hasMessageContaining("locked");
        }
    }
}
