package org.countersign.authenticator.imports;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.VaultFile;

/**
 * Writes an encrypted Countersign backup: a new vault file (the vault format, with its own passphrase and no
 * rotating backups), so {@code verify-backup} and {@link CountersignBackupImporter} read it. Push accounts go in
 * only when asked: their device key then exists in a second file.
 */
public final class CountersignBackupExporter {
    private final KdfParameters kdf;
    private final SecureRandom random;

    public CountersignBackupExporter(KdfParameters kdf, SecureRandom random) {
        this.kdf = kdf;
        this.random = random;
    }

    /**
     * @return what was left out
     * @throws org.countersign.authenticator.vault.VaultException when {@code file} exists (never overwritten) or
     *                                                            cannot be written
     */
    public List<String> export(Path file, char[] passphrase, List<Account> accounts, boolean includePush) {
        List<Account> kept = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Account account : accounts) {
            if (account instanceof PushAccount && !includePush) {
                notes.add(account.displayName() + ": push account left out (add --include-push to copy its device"
                        + " key into the backup).");
            } else {
                kept.add(account);
            }
        }
        new VaultFile(file, kdf, random, VaultFile.FileWriting.DIRECT).create(passphrase, 0, kept);
        return notes;
    }
}
