package org.countersign.authenticator.cli;

import java.nio.file.Path;
import java.util.Arrays;
import org.countersign.authenticator.vault.VaultFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "passwd", description = {"Change the vault passphrase (re-keys the vault and the backups it opens).",
    "The current passphrase comes from the usual places; the new one from --new-passphrase-file or is asked twice."})
final class PasswdCommand extends CliCommand {
    @Option(names = "--new-passphrase-file", paramLabel = "FILE",
            description = "Read the new passphrase from the first line of FILE (for scripts).")
    Path newPassphraseFile;

    @Override
    int run() {
        VaultFile vaultFile = cli.vaultFile();
        return withPassphrase(current -> {
            vaultFile.read(current); // a wrong current passphrase fails before the new one is asked
            char[] fresh = cli.otherPassphrase(newPassphraseFile, "New vault passphrase: ", true,
                    "Use --new-passphrase-file FILE.");
            try {
                if (Arrays.equals(current, fresh)) {
                    throw new CliException("The new passphrase is the same as the current one; nothing was changed.");
                }
                VaultFile.Rekeyed rekeyed = vaultFile.changePassphrase(current, fresh);
                out().println("Changed the passphrase of " + vaultFile.path() + ".");
                if (!rekeyed.rekeyed().isEmpty()) {
                    out().println("Re-encrypted " + rekeyed.rekeyed().size() + " backup"
                            + (rekeyed.rekeyed().size() == 1 ? "" : "s") + " under the new passphrase.");
                }
                for (var left : rekeyed.left()) {
                    err().println("note: " + left + " did not open with the old passphrase (an older one?) and was"
                            + " left as it was; delete it if that passphrase is compromised.");
                }
                return 0;
            } finally {
                Arrays.fill(fresh, '\0');
            }
        });
    }
}
