package org.countersign.authenticator.cli;

import java.io.IOException;
import java.util.Locale;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.VaultException;
import org.countersign.authenticator.vault.VaultFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "remove", description = "Remove an account from the vault (asks first unless --yes).")
final class RemoveCommand extends CliCommand {
    @Parameters(paramLabel = "ACCOUNT", description = "A unique part of the account's name, or its id.")
    String query;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    int run() {
        VaultFile vaultFile = cli.vaultFile();
        return withPassphrase(passphrase -> {
            Account account = vaultFile.read(passphrase).find(query);
            String name = printable(account.displayName());
            if (!yes && !confirm("Remove " + name + " (" + account.type() + ")? This cannot be undone. [y/N] ")) {
                throw new CliException("Nothing was removed.");
            }
            vaultFile.update(passphrase, vault -> {
                if (!vault.remove(account.id())) {
                    throw new VaultException(name + " is no longer in the vault.");
                }
                return null;
            });
            out().println("Removed " + name + ".");
            if (account instanceof PushAccount push) {
                out().println("The device " + printable(push.deviceId()) + " stays registered with "
                        + printable(push.issuer()) + " until it is removed in Security info.");
            }
            return 0;
        });
    }

    private boolean confirm(String question) {
        out().print(question);
        out().flush();
        try {
            String answer = cli.stdinLines().readLine();
            String reply = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
            return reply.equals("y") || reply.equals("yes");
        } catch (IOException e) {
            return false;
        }
    }
}
