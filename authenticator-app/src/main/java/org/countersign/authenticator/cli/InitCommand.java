package org.countersign.authenticator.cli;

import java.util.Arrays;
import org.countersign.authenticator.vault.VaultFile;
import picocli.CommandLine.Command;

@Command(name = "init", description = "Create a new, empty vault (never overwrites an existing one).")
final class InitCommand extends CliCommand {

    @Override
    int run() {
        VaultFile vaultFile = cli.vaultFile();
        if (vaultFile.exists()) {
            throw new CliException("A vault already exists at " + vaultFile.path() + "; it was not overwritten.");
        }
        char[] passphrase = cli.passphrase(true);
        try {
            vaultFile.create(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        out().println("Created the vault " + vaultFile.path());
        return 0;
    }
}
