package org.countersign.authenticator.cli;

import org.countersign.authenticator.otp.CodeGenerator;
import org.countersign.authenticator.otp.TotpCode;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.authenticator.vault.Vault;
import org.countersign.authenticator.clock.SkewVerdict;
import org.countersign.authenticator.vault.VaultFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "code", description = {"Print the current code of an account.",
    "stdout holds only the code; the seconds left go to stderr. An HOTP counter is advanced and saved first."})
final class CodeCommand extends CliCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "A unique part of the account's name, or its id.")
    String query;

    @Override
    int run() {
        CodeGenerator codes = new CodeGenerator(cli.environment().clock());
        VaultFile vaultFile = cli.vaultFile();
        return withPassphrase(passphrase -> {
            Vault vault = vaultFile.read(passphrase);
            Account account = vault.find(query);
            warnAboutKnownSkew(vault, account);
            if (account instanceof HotpAccount hotp) {
                HotpAccount used = vaultFile.update(passphrase, v -> v.advanceHotp(hotp.id()));
                out().println(codes.hotp(used));
                err().println("(HOTP counter " + used.counter() + "; the next code uses " + (used.counter() + 1) + ")");
                return 0;
            }
            TotpCode code = account instanceof TotpAccount totp ? codes.current(totp)
                    : codes.current((PushAccount) account);
            out().println(code.code());
            err().println("(valid for " + code.secondsRemaining() + " more second"
                    + (code.secondsRemaining() == 1 ? "" : "s") + ")");
            return 0;
        });
    }

    /** A code made on a skewed clock is refused; say so when a time-check measured it (stdout keeps the code only). */
    private void warnAboutKnownSkew(Vault vault, Account account) {
        if (account instanceof HotpAccount) {
            return;
        }
        vault.clockCheckFor(account).ifPresent(check -> {
            SkewVerdict verdict = SkewVerdict.of(check.skew());
            if (verdict != SkewVerdict.OK) {
                err().println("warning: at the last time-check (" + check.measuredAt() + ") the local clock was "
                        + SkewVerdict.describe(check.skew()) + " " + check.source() + "; this code may be refused."
                        + " Fix the clock, then run `authenticator time-check`.");
            }
        });
    }
}
