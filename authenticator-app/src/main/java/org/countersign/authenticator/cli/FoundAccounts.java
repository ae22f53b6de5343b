package org.countersign.authenticator.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.countersign.authenticator.push.EnrollmentClient;
import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.AccountAdding;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.VaultFile;

/** Saves what `scan` and `add` found, through the core's {@link AccountAdding}, and says what happened. */
final class FoundAccounts {
    private final CliEnvironment environment;
    private final PrintWriter out;
    private final String deviceName;

    FoundAccounts(CliEnvironment environment, PrintWriter out, String deviceName) {
        this.environment = environment;
        this.out = out;
        this.deviceName = deviceName;
    }

    /** Saves one payload; the vault is opened (and the passphrase checked) before any activation is sent. */
    void save(VaultFile vaultFile, char[] passphrase, ScannedPayload payload) {
        AccountAdding adding = new AccountAdding(vaultFile);
        if (payload instanceof ScannedPayload.OtpAuth otpAuth) {
            Account account = adding.otpAuth(passphrase, otpAuth.uri(), environment.random()).account();
            out.println("Added " + account.type().toUpperCase(Locale.ROOT) + " account " + account.displayName());
        } else if (payload instanceof ScannedPayload.Enrollment enrollment) {
            EnrollmentClient client = new EnrollmentClient(environment.httpClient(enrollment.uri().pin()),
                    environment.random(), environment.clock(), deviceName, EnrollmentClient.defaultPlatform());
            PushAccount account = adding.activation(passphrase, () -> client.activate(enrollment.uri())).account();
            out.println("Activated push account " + CliCommand.printable(account.displayName()));
            out.println("  issuer:   " + CliCommand.printable(account.issuer()));
            out.println("  user:     " + CliCommand.printable(account.username()));
            out.println("  deviceId: " + CliCommand.printable(account.deviceId()));
            out.println("Waiting for the test notification: run `authenticator listen`");
        }
    }
}
