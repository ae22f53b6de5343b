package org.countersign.authenticator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.countersign.authenticator.imports.AccountMerge;
import org.countersign.authenticator.imports.AegisImporter;
import org.countersign.authenticator.imports.CountersignBackupImporter;
import org.countersign.authenticator.imports.ImportFormat;
import org.countersign.authenticator.imports.ImportedAccounts;
import org.countersign.authenticator.imports.UriListImporter;
import org.countersign.authenticator.scan.QrDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {
    "Import accounts from another app's export, a URI list or a Countersign backup.",
    "FILE is a list of otpauth:// URIs (one per line, # comments), Google Authenticator otpauth-migration://",
    "exports, an Aegis export (plain or encrypted) or an encrypted Countersign backup; or --image reads the QR",
    "images of a Google export. Shows what will be added and what cannot be carried over, then asks (or --yes)."})
final class ImportCommand extends CliCommand {
    private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "The file to import.")
    Path file;

    @Option(names = "--image", paramLabel = "IMAGE", arity = "1..*",
            description = "QR images of a Google Authenticator export (every batch), PNG or JPEG.")
    List<Path> images;

    @Option(names = "--file-passphrase-file", paramLabel = "FILE",
            description = "The password of an encrypted Aegis export or Countersign backup, from the first line of"
                    + " FILE (default: asked).")
    Path filePassphraseFile;

    @Option(names = {"-y", "--yes"}, description = "Save without asking first.")
    boolean yes;

    @Override
    int run() {
        if ((file == null) == (images == null)) {
            throw new ParameterException(spec.commandLine(), "Give either FILE or --image IMAGE...");
        }
        ImportedAccounts imported = images != null ? fromImages() : fromFile();
        for (String note : imported.notCarriedOver()) {
            err().println("not carried over: " + printable(note));
        }
        if (imported.accounts().isEmpty()) {
            throw new CliException("Nothing to import.");
        }
        out().println("About to import " + imported.accounts().size() + " account"
                + (imported.accounts().size() == 1 ? "" : "s") + ":");
        AccountTable.print(out(), imported.accounts());
        if (!confirm("Import " + (imported.accounts().size() == 1 ? "it" : "them") + "?", yes)) {
            throw new CliException("Nothing was imported.");
        }
        AccountMerge.Result result = withPassphrase(passphrase -> cli.vaultFile().update(passphrase,
                vault -> AccountMerge.into(vault, imported.accounts())));
        for (String name : result.alreadyPresent()) {
            err().println("already in the vault: " + printable(name));
        }
        out().println("Imported " + result.added().size() + " account" + (result.added().size() == 1 ? "" : "s")
                + ".");
        return 0;
    }

    private ImportedAccounts fromImages() {
        QrDecoder decoder = new QrDecoder();
        List<String> payloads = new ArrayList<>();
        for (Path image : images) {
            payloads.addAll(decoder.decode(image));
        }
        return new UriListImporter(cli.environment().random()).read(String.join("\n", payloads));
    }

    private ImportedAccounts fromFile() {
        byte[] content = read(file);
        try {
            ImportFormat format = ImportFormat.detect(content);
            out().println("Reading " + file + " as " + (format == ImportFormat.URI_LIST
                    && looksLikeGoogle(content) ? "a Google Authenticator export" : "a " + format.description())
                    + ".");
            return switch (format) {
                case COUNTERSIGN_BACKUP -> withFilePassphrase("Passphrase of the backup: ", passphrase ->
                        new CountersignBackupImporter().read(file, passphrase));
                case AEGIS -> new AegisImporter(cli.environment().random()).read(
                        new String(content, StandardCharsets.UTF_8),
                        () -> cli.otherPassphrase(filePassphraseFile, "Password of the Aegis export: ", false,
                                "Use --file-passphrase-file FILE."));
                case URI_LIST -> new UriListImporter(cli.environment().random())
                        .read(new String(content, StandardCharsets.UTF_8));
            };
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    private static boolean looksLikeGoogle(byte[] content) {
        return new String(content, StandardCharsets.UTF_8).contains("otpauth-migration://");
    }

    private <T> T withFilePassphrase(String prompt, java.util.function.Function<char[], T> work) {
        char[] passphrase = filePassphraseFile != null || cli.environment().prompt() != null
                ? cli.otherPassphrase(filePassphraseFile, prompt, false, "Use --file-passphrase-file FILE.")
                : cli.passphrase(false);
        try {
            return work.apply(passphrase);
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    private static byte[] read(Path path) {
        try {
            if (Files.size(path) > MAX_FILE_BYTES) {
                throw new CliException(path + " is too large to be an export.");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new CliException("No such file: " + path);
        } catch (IOException e) {
            throw new CliException("Cannot read " + path + ": " + e.getMessage());
        }
    }
}
