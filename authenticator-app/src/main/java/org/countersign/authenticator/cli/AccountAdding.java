package org.countersign.authenticator.cli;

import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicReference;
import org.countersign.authenticator.push.EnrollmentClient;
import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.authenticator.vault.Vault;
import org.countersign.authenticator.vault.VaultException;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;

/** Stores what `scan` and `add` found: activates enrollments, adds otpauth accounts, and says what happened. */
final class AccountAdding {
    private final AuthenticatorCli cli;
    private final PrintWriter out;
    private final String deviceName;

    AccountAdding(AuthenticatorCli cli, PrintWriter out, String deviceName) {
        this.cli = cli;
        this.out = out;
        this.deviceName = deviceName;
    }

    /** Saves one payload; the vault is opened (and the passphrase checked) before any activation is sent. */
    void add(VaultFile vaultFile, char[] passphrase, ScannedPayload payload) {
        if (payload instanceof ScannedPayload.OtpAuth otpAuth) {
            Account account = vaultFile.update(passphrase, vault -> addOtpAuth(vault, otpAuth.uri()));
            out.println("Added " + account.type().toUpperCase(java.util.Locale.ROOT) + " account "
                    + account.displayName());
        } else if (payload instanceof ScannedPayload.Enrollment enrollment) {
            PushAccount account = activate(vaultFile, passphrase, enrollment);
            out.println("Activated push account " + CliCommand.printable(account.displayName()));
            out.println("  issuer:   " + CliCommand.printable(account.issuer()));
            out.println("  user:     " + CliCommand.printable(account.username()));
            out.println("  deviceId: " + CliCommand.printable(account.deviceId()));
            out.println("Waiting for the test notification: run `authenticator listen`");
        }
    }

    private PushAccount activate(VaultFile vaultFile, char[] passphrase, ScannedPayload.Enrollment enrollment) {
        CliEnvironment environment = cli.environment();
        EnrollmentClient client = new EnrollmentClient(environment.httpClient(enrollment.uri().pin()),
                environment.random(), environment.clock(), deviceName, EnrollmentClient.defaultPlatform());
        AtomicReference<PushAccount> activated = new AtomicReference<>();
        try {
            return vaultFile.update(passphrase, vault -> {
                PushAccount account = client.activate(enrollment.uri());
                activated.set(account);
                vault.add(account);
                return account;
            });
        } catch (VaultException e) {
            PushAccount lost = activated.get();
            if (lost == null) {
                throw e;
            }
            throw new CliException(e.getMessage() + " The device " + lost.deviceId() + " was activated at "
                    + lost.issuer() + " but could not be saved: remove it in Security info and enroll again.");
        }
    }

    private Account addOtpAuth(Vault vault, OtpAuthUri uri) {
        for (Account existing : vault.accounts()) {
            boolean sameSecret = existing instanceof TotpAccount totp && totp.secret().equals(uri.secret())
                    || existing instanceof HotpAccount hotp && hotp.secret().equals(uri.secret());
            if (sameSecret && existing.displayName().equals(displayName(uri))) {
                throw new CliException(existing.displayName() + " is already in the vault.");
            }
        }
        String id = Account.newId(cli.environment().random());
        Account account = uri.type() == OtpType.TOTP ? TotpAccount.fromUri(id, uri) : HotpAccount.fromUri(id, uri);
        vault.add(account);
        return account;
    }

    private static String displayName(OtpAuthUri uri) {
        return uri.issuer().isEmpty() ? uri.account() : uri.issuer() + ":" + uri.account();
    }
}
