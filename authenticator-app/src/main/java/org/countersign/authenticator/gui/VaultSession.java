package org.countersign.authenticator.gui;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.countersign.authenticator.push.EnrollmentClient;
import org.countersign.authenticator.push.PushException;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.AccountAdding;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.Vault;
import org.countersign.authenticator.vault.VaultException;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.OtpAuthUri;

/**
 * An unlocked vault while the GUI shows it: the accounts as last read or saved, and the passphrase that saves need.
 * {@link #lock()} wipes the passphrase and the secrets it can reach. Changes are saved at once with
 * {@link VaultFile#update}; slow calls (Argon2id) belong on a background thread.
 */
public final class VaultSession {
    /** The shortest passphrase accepted for a new vault. */
    public static final int MIN_NEW_PASSPHRASE = 8;

    private final VaultFile file;
    private char[] passphrase;
    private volatile List<Account> accounts;

    private VaultSession(VaultFile file, char[] passphrase, Vault vault) {
        this.file = file;
        this.passphrase = passphrase.clone();
        this.accounts = List.copyOf(vault.accounts());
    }

    /**
     * Opens an existing vault. The caller keeps and wipes its own array.
     *
     * @throws VaultException with a sentence for the person: wrong passphrase, damaged file, no vault
     */
    public static VaultSession unlock(VaultFile file, char[] passphrase) {
        Objects.requireNonNull(file, "file");
        return new VaultSession(file, passphrase, file.read(passphrase));
    }

    /**
     * Creates a new, empty vault with a passphrase typed twice. The caller keeps and wipes its arrays.
     *
     * @throws VaultException when the two differ, the passphrase is too short, or a vault already exists
     */
    public static VaultSession create(VaultFile file, char[] passphrase, char[] repeated) {
        Objects.requireNonNull(file, "file");
        if (passphrase == null || passphrase.length == 0) {
            throw new VaultException("Choose a passphrase for the new vault.");
        }
        if (!Arrays.equals(passphrase, repeated)) {
            throw new VaultException("The two passphrases differ. Type the same passphrase twice.");
        }
        if (passphrase.length < MIN_NEW_PASSPHRASE) {
            throw new VaultException("Use at least " + MIN_NEW_PASSPHRASE + " characters; a few words are best.");
        }
        return new VaultSession(file, passphrase, file.create(passphrase));
    }

    public VaultFile file() {
        return file;
    }

    /** The accounts in the order they were added; empty once locked. */
    public List<Account> accounts() {
        return accounts;
    }

    public List<PushAccount> pushAccounts() {
        return accounts.stream().filter(PushAccount.class::isInstance).map(PushAccount.class::cast).toList();
    }

    public synchronized boolean isLocked() {
        return passphrase == null;
    }

    /**
     * Adds an otpauth account and saves (through the core's {@link AccountAdding}).
     *
     * @throws VaultException when the same account is already in the vault ({@link
     *                        org.countersign.authenticator.vault.AlreadyInVaultException}), or the save fails
     */
    public synchronized Account add(OtpAuthUri uri, SecureRandom random) {
        return keep(new AccountAdding(file).otpAuth(unlockedPassphrase(), uri, random));
    }

    /**
     * Activates an enrollment and saves the new push account (through the core's {@link AccountAdding}). The vault
     * is opened first, so a wrong passphrase or an unwritable vault never spends the single-use code.
     *
     * @throws PushException when the service refuses or cannot be reached
     * @throws VaultException when the save fails (the message then says the device must be removed and enrolled
     *                        again)
     */
    public synchronized PushAccount activate(EnrollmentClient client, EnrollmentUri enrollment) {
        return keep(new AccountAdding(file).activation(unlockedPassphrase(),
                () -> client.activate(enrollment)));
    }

    /**
     * Advances an HOTP account's counter and saves it, returning the account as it was: the counter to make the
     * code with. So a code is never shown before its counter is saved.
     */
    public synchronized HotpAccount nextHotp(String id) {
        return change(vault -> vault.advanceHotp(id));
    }

    /** Wipes the passphrase and the secrets of the accounts held. Safe to call twice. */
    public synchronized void lock() {
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
            passphrase = null;
        }
        List<Account> held = accounts;
        accounts = List.of();
        held.forEach(Account::wipeSecrets);
    }

    private <T> T change(java.util.function.Function<Vault, T> change) {
        char[] unlocked = unlockedPassphrase();
        AtomicReference<Vault> saved = new AtomicReference<>();
        T result = file.update(unlocked, vault -> {
            T value = change.apply(vault);
            saved.set(vault);
            return value;
        });
        // The previous snapshot is not wiped here: the list may still be computing codes from it.
        accounts = List.copyOf(saved.get().accounts());
        return result;
    }

    private <T extends Account> T keep(AccountAdding.Added<T> added) {
        // As in change: the previous snapshot is left to the garbage collector, not wiped.
        accounts = added.accounts();
        return added.account();
    }

    private char[] unlockedPassphrase() {
        if (passphrase == null) {
            throw new VaultException("The vault is locked. Unlock it again.");
        }
        return passphrase;
    }
}
