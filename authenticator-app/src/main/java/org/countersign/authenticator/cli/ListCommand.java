package org.countersign.authenticator.cli;

import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.Totp;
import picocli.CommandLine.Command;

@Command(name = "list", description = "List the accounts in the vault.")
final class ListCommand extends CliCommand {

    @Override
    int run() {
        List<Account> accounts = withPassphrase(passphrase -> cli.vaultFile().read(passphrase).accounts());
        if (accounts.isEmpty()) {
            out().println("The vault has no accounts yet. Add one with `authenticator scan` or `authenticator add`.");
            return 0;
        }
        int width = Math.max(4, accounts.stream().mapToInt(a -> printable(a.displayName()).length()).max().orElse(4));
        String format = "%-8s  %-" + width + "s  %-4s  %s%n";
        out().printf(format, "ID", "NAME", "TYPE", "DETAILS");
        for (Account account : accounts) {
            out().printf(format, account.shortId(), printable(account.displayName()), account.type(),
                    details(account));
        }
        return 0;
    }

    private static String details(Account account) {
        if (account instanceof TotpAccount totp) {
            return describe(totp.totp());
        }
        if (account instanceof HotpAccount hotp) {
            return hotp.algorithm().uriName() + ", " + hotp.digits() + " digits, counter " + hotp.counter();
        }
        PushAccount push = (PushAccount) account;
        return "device " + printable(push.deviceId()) + " at " + push.serviceUrl() + "; code: " + describe(push.totp());
    }

    private static String describe(Totp totp) {
        return totp.algorithm().uriName() + ", " + totp.digits() + " digits, " + totp.periodSeconds() + " s";
    }
}
