package org.countersign.authenticator.cli;

import java.util.Arrays;
import org.countersign.authenticator.vault.VaultFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", description = "Create a new, empty vault (never overwrites an existing one).")
final class InitCommand extends CliCommand {
    @Option(names = "--backups", paramLabel = "N", defaultValue = "3",
            description = "How many rotating backups (vault.cs.bak.1 newest .. .bak.N) saves keep; 0..20, default 3.")
    int backups;

    @Override
    int run() {
        VaultFile vaultFile = cli.vaultFile();
        if (backups < 0 || backups > VaultFile.MAX_BACKUPS) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--backups must be 0.." + VaultFile.MAX_BACKUPS + ".");
        }
        if (vaultFile.exists()) {
            throw new CliException("A vault already exists at " + vaultFile.path() + "; it was not overwritten.");
        }
        char[] passphrase = cli.passphrase(true);
        try {
            vaultFile.create(passphrase, backups, java.util.List.of());
        } finally {
            Arrays.fill(passphrase, '\0');
        }
        out().println("Created the vault " + vaultFile.path());
        return 0;
    }
}
