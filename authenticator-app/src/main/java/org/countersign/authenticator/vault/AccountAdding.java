package org.countersign.authenticator.vault;

import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;

/**
 * Adds scanned or typed accounts to a vault file: the one place the CLI and the GUI go through, so both keep the same
 * rules. An otpauth account the vault already holds (same type, name and secret) is refused. An enrollment is
 * activated inside the vault's update, after the vault has opened, so a wrong passphrase or a damaged file never
 * spends the single-use activation code; the new push account is saved in the same update.
 */
public final class AccountAdding {
    /**
     * What an addition did.
     *
     * @param account  the account now in the vault
     * @param accounts every account of the vault as saved with it, in order
     */
    public record Added<T extends Account>(T account, List<Account> accounts) {
        public Added {
            Objects.requireNonNull(account, "account");
            accounts = List.copyOf(accounts);
        }
    }

    private final VaultFile file;

    public AccountAdding(VaultFile file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Adds a TOTP or HOTP account with a fresh id drawn from {@code random} and saves. The caller keeps and wipes
     * its passphrase.
     *
     * @throws AlreadyInVaultException when the vault holds the same account; nothing is saved
     * @throws VaultException          when the vault cannot be opened or saved
     */
    public Added<Account> otpAuth(char[] passphrase, OtpAuthUri uri, SecureRandom random) {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(random, "random");
        return save(passphrase, vault -> {
            Account account = newAccount(uri, random);
            for (Account existing : vault.accounts()) {
                if (sameOtpAccount(existing, account)) {
                    throw new AlreadyInVaultException(existing);
                }
            }
            vault.add(account);
            return account;
        });
    }

    /**
     * Opens the vault, runs {@code activate} (the call to the push service), adds the push account it returns and
     * saves. The caller keeps and wipes its passphrase.
     *
     * @param activate the activation; its exceptions (a refusal, an unreachable service) propagate and nothing is
     *                 saved
     * @throws VaultException when the vault cannot be opened (the activation is then never called), or when the save
     *                        fails after the activation succeeded: the message then names the device and says to
     *                        remove it and enroll again, since the service knows a key the vault lost
     */
    public Added<PushAccount> activation(char[] passphrase, Supplier<PushAccount> activate) {
        Objects.requireNonNull(activate, "activate");
        AtomicReference<PushAccount> activated = new AtomicReference<>();
        try {
            return save(passphrase, vault -> {
                PushAccount account = activate.get();
                activated.set(account);
                vault.add(account);
                return account;
            });
        } catch (VaultException e) {
            PushAccount lost = activated.get();
            if (lost == null) {
                throw e;
            }
            throw new VaultException(e.getMessage() + " The device " + lost.deviceId() + " was activated at "
                    + lost.issuer() + " but could not be saved: remove it in Security info and enroll again.", e);
        }
    }

    private static Account newAccount(OtpAuthUri uri, SecureRandom random) {
        String id = Account.newId(random);
        return uri.type() == OtpType.TOTP ? TotpAccount.fromUri(id, uri) : HotpAccount.fromUri(id, uri);
    }

    private <T extends Account> Added<T> save(char[] passphrase, Function<Vault, T> change) {
        AtomicReference<List<Account>> saved = new AtomicReference<>();
        T account = file.update(passphrase, vault -> {
            T added = change.apply(vault);
            saved.set(List.copyOf(vault.accounts()));
            return added;
        });
        return new Added<>(account, saved.get());
    }

    /** Same type, same name and the same secret: adding it again would only show the same codes twice. */
    private static boolean sameOtpAccount(Account existing, Account added) {
        if (!existing.displayName().equals(added.displayName())) {
            return false;
        }
        if (existing instanceof TotpAccount a && added instanceof TotpAccount b) {
            return a.secret().equals(b.secret());
        }
        return existing instanceof HotpAccount a && added instanceof HotpAccount b && a.secret().equals(b.secret());
    }
}
