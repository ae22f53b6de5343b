package org.countersign.authenticator.imports;

import java.nio.file.Path;
import java.util.List;
import org.countersign.authenticator.vault.VaultFile;

/**
 * An encrypted Countersign backup: a vault file under its own passphrase, as {@code export} writes it (or any vault
 * file and its rotating backups). Everything in it is carried over, push accounts included, with their ids.
 */
public final class CountersignBackupImporter {

    /**
     * @throws org.countersign.authenticator.vault.VaultException for a wrong passphrase or a damaged file
     */
    public ImportedAccounts read(Path file, char[] passphrase) {
        return new ImportedAccounts(new VaultFile(file).read(passphrase).accounts(), List.of());
    }
}
