package org.countersign.authenticator.imports;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.countersign.authenticator.vault.Account;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.ProtocolException;

/**
 * A text file of {@code otpauth://} URIs, one per line; blank lines and lines starting with {@code #} are ignored.
 * Lines holding a Google Authenticator {@code otpauth-migration://} export are read by
 * {@link GoogleMigrationImporter}, so a list of both kinds imports in one go. A line that cannot be used is reported
 * by number, with the reason and without its secret.
 */
public final class UriListImporter {
    private final NewAccounts newAccounts;
    private final GoogleMigrationImporter google;

    public UriListImporter(SecureRandom random) {
        this.newAccounts = new NewAccounts(random);
        this.google = new GoogleMigrationImporter(random);
    }

    public ImportedAccounts read(String text) {
        List<Account> accounts = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> migrations = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("otpauth-migration://")) {
                migrations.add(line);
                continue;
            }
            try {
                accounts.add(newAccounts.from(OtpAuthUri.parse(line)));
            } catch (ProtocolException e) {
                notes.add("Line " + (i + 1) + ": " + (lower.startsWith("otpauth://") ? "" : "not an otpauth:// URI; ")
                        + e.getMessage() + " (skipped).");
            }
        }
        if (!migrations.isEmpty()) {
            ImportedAccounts fromGoogle = google.read(migrations);
            accounts.addAll(fromGoogle.accounts());
            notes.addAll(fromGoogle.notCarriedOver());
        }
        return new ImportedAccounts(accounts, notes);
    }
}
