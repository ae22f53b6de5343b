package org.countersign.authenticator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.Vault;
import org.countersign.authenticator.vault.VaultFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "verify-backup", description = {
    "Prove that a backup decrypts and list what it holds (a restore drill).",
    "The backup is a vault.cs.bak.N file or an encrypted export. Shows names and types, never secrets;",
    "changes nothing."})
final class VerifyBackupCommand extends CliCommand {
    @Parameters(paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Override
    int run() {
        if (!Files.isRegularFile(file)) {
            throw new CliException("No such file: " + file);
        }
        char[] passphrase = cli.passphrase(false);
        try {
            Vault backup = new VaultFile(file).read(passphrase);
            List<Account> accounts = backup.accounts();
            out().println("OK: " + file + " decrypts (format version " + backup.formatVersion() + ") and holds "
                    + accounts.size() + " account" + (accounts.size() == 1 ? "" : "s") + ".");
            for (Account account : accounts) {
                out().printf("  %-4s  %s%n", account.type(), printable(account.displayName()));
            }
            return 0;
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }
}
