package org.countersign.authenticator.cli;

import java.io.PrintWriter;
import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.Totp;

/** Prints accounts as a table of what they are, never their secrets: what is about to be added, or what a file holds. */
final class AccountTable {
    private AccountTable() {
    }

    static void print(PrintWriter out, List<Account> accounts) {
        String format = "  %-20s  %-24s  %-4s  %-6s  %-6s  %s%n";
        out.printf(format, "ISSUER", "ACCOUNT", "TYPE", "ALGO", "DIGITS", "PERIOD/COUNTER");
        for (Account account : accounts) {
            out.printf(format, cut(account.issuer()), cut(account.accountName()), account.type(),
                    algorithm(account), digits(account), rest(account));
        }
    }

    private static String algorithm(Account account) {
        return totpOf(account) != null ? totpOf(account).algorithm().uriName()
                : ((HotpAccount) account).algorithm().uriName();
    }

    private static String digits(Account account) {
        return String.valueOf(totpOf(account) != null ? totpOf(account).digits() : ((HotpAccount) account).digits());
    }

    private static String rest(Account account) {
        if (account instanceof HotpAccount hotp) {
            return "counter " + hotp.counter();
        }
        String period = totpOf(account).periodSeconds() + " s";
        return account instanceof PushAccount push ? period + " (push device " + CliCommand.printable(push.deviceId())
                + ")" : period;
    }

    private static Totp totpOf(Account account) {
        if (account instanceof TotpAccount totp) {
            return totp.totp();
        }
        return account instanceof PushAccount push ? push.totp() : null;
    }

    private static String cut(String text) {
        String shown = CliCommand.printable(text);
        return shown.length() > 24 ? shown.substring(0, 23) + "…" : shown;
    }
}
