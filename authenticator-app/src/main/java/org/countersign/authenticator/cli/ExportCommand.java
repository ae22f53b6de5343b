package org.countersign.authenticator.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.countersign.authenticator.imports.CountersignBackupExporter;
import org.countersign.authenticator.imports.GoogleMigrationExporter;
import org.countersign.authenticator.imports.PlaintextExport;
import org.countersign.authenticator.imports.PlaintextFiles;
import org.countersign.authenticator.imports.UriListExporter;
import org.countersign.authenticator.vault.Account;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "export", description = {
    "Export the accounts: an encrypted backup, or with --plaintext URIs or QR images.",
    "By default an encrypted Countersign backup under its own passphrase (read it with verify-backup",
    "or import). --plaintext --format uris writes otpauth:// URIs; --plaintext --format google-qr",
    "writes Google Authenticator migration QR images into a folder. Push accounts are never exported",
    "in plaintext. Never overwrites a file."})
final class ExportCommand extends CliCommand {
    enum Format { backup, uris, google_qr }

    @Parameters(paramLabel = "TARGET", description = "The file to write (a folder for google-qr).")
    Path target;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "backup",
            converter = FormatConverter.class, description = "backup (default), uris or google-qr.")
    Format format;

    @Option(names = "--plaintext", description = "Required for uris and google-qr: the output holds the secrets"
            + " unencrypted.")
    boolean plaintext;

    @Option(names = "--include-push", description = "backup only: also copy push accounts (with their device key).")
    boolean includePush;

    @Option(names = "--file-passphrase-file", paramLabel = "FILE",
            description = "backup only: the backup's passphrase from the first line of FILE (default: asked twice).")
    Path filePassphraseFile;

    @Override
    int run() {
        if (format != Format.backup && !plaintext) {
            throw new ParameterException(spec.commandLine(), "--format " + FormatConverter.name(format)
                    + " writes the secrets unencrypted: add --plaintext to say you mean it.");
        }
        if (format == Format.backup && plaintext) {
            throw new ParameterException(spec.commandLine(), "--plaintext goes with --format uris or google-qr.");
        }
        if (format != Format.google_qr && Files.exists(target)) {
            throw new CliException(target + " already exists; it was not overwritten.");
        }
        List<Account> accounts = withPassphrase(passphrase -> cli.vaultFile().read(passphrase).accounts());
        return switch (format) {
            case backup -> backup(accounts);
            case uris -> plaintext(new UriListExporter().export(accounts), false);
            case google_qr -> plaintext(new GoogleMigrationExporter(cli.environment().random()).export(accounts), true);
        };
    }

    private int backup(List<Account> accounts) {
        char[] passphrase = cli.otherPassphrase(filePassphraseFile, "Passphrase for the backup: ", true,
                "Use --file-passphrase-file FILE.");
        try {
            List<String> notes = new CountersignBackupExporter(cli.environment().kdfForNewVaults(),
                    cli.environment().random()).export(target, passphrase, accounts, includePush);
            notes.forEach(note -> err().println("not exported: " + printable(note)));
            out().println("Wrote an encrypted backup of " + (accounts.size() - notes.size()) + " account"
                    + (accounts.size() - notes.size() == 1 ? "" : "s") + " to " + target
                    + ". Check it with `authenticator verify-backup " + target + "`.");
            return 0;
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private int plaintext(PlaintextExport export, boolean images) {
        export.notCarriedOver().forEach(note -> err().println("not exported: " + printable(note)));
        err().println("warning: " + target + " will hold " + export.accountCount() + " secret"
                + (export.accountCount() == 1 ? "" : "s") + " UNENCRYPTED. Anyone who reads it can make your codes;"
                + " delete it as soon as it has been used.");
        try {
            if (images) {
                List<Path> files = GoogleMigrationExporter.writeQrImages(export, target);
                out().println("Wrote " + files.size() + " QR image" + (files.size() == 1 ? "" : "s") + " to " + target
                        + "; scan every one with Google Authenticator (Transfer accounts > Import).");
            } else {
                PlaintextFiles.writeNewText(target, export.pieces());
                out().println("Wrote " + export.accountCount() + " otpauth URI"
                        + (export.accountCount() == 1 ? "" : "s") + " to " + target + ".");
            }
        } catch (FileAlreadyExistsException e) {
            throw new CliException(e.getFile() + " already exists; it was not overwritten.");
        } catch (IOException e) {
            throw new CliException("Cannot write " + target + ": " + e.getMessage());
        }
        return 0;
    }

    /** Accepts the names users type: backup, uris, google-qr. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            for (Format format : Format.values()) {
                if (name(format).equalsIgnoreCase(value)) {
                    return format;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("expected backup, uris or google-qr");
        }

        static String name(Format format) {
            return format.name().replace('_', '-');
        }
    }
}
