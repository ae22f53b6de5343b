package org.countersign.authenticator.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.countersign.authenticator.vault.VaultFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code authenticator <command>}: the Countersign authenticator's command line. Run in-process with
 * {@code new CommandLine(new AuthenticatorCli(environment)).execute(args)}.
 */
@Command(name = "authenticator", mixinStandardHelpOptions = true, version = "authenticator 0.1.0",
        description = "Countersign authenticator: one-time codes and push approvals from an encrypted vault.",
        subcommands = {InitCommand.class, ScanCommand.class, AddCommand.class, ListCommand.class, CodeCommand.class,
            PasswdCommand.class, VerifyBackupCommand.class, DoctorCommand.class, ImportCommand.class,
            ExportCommand.class, TimeCheckCommand.class,
            ListenCommand.class, RespondCommand.class, RemoveCommand.class, GuiCommand.class},
        footer = {"", "The passphrase comes from --passphrase-file, else AUTHENTICATOR_PASSPHRASE, else a prompt.",
            "Exit codes: 0 ok, 1 error, 2 usage error."})
public final class AuthenticatorCli implements Callable<Integer> {
    static final String PASSPHRASE_VARIABLE = "AUTHENTICATOR_PASSPHRASE";

    @Option(names = "--vault", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The vault file (default: $XDG_DATA_HOME/countersign/vault.cs).")
    Path vault;

    @Option(names = "--passphrase-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Read the vault passphrase from the first line of FILE.")
    Path passphraseFile;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Spec
    CommandSpec spec;

    private final CliEnvironment environment;
    private BufferedReader stdinLines;

    public AuthenticatorCli() {
        this(CliEnvironment.system());
    }

    public AuthenticatorCli(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AuthenticatorCli()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    CliEnvironment environment() {
        return environment;
    }

    VaultFile vaultFile() {
        Path path = vault != null ? vault
                : VaultFile.defaultPath(environment::variable, environment.home());
        return new VaultFile(path, environment.kdfForNewVaults(), environment.random(), environment.fileWriting());
    }

    /** Lines of stdin, shared by every reader in this run. */
    synchronized BufferedReader stdinLines() {
        if (stdinLines == null) {
            stdinLines = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8));
        }
        return stdinLines;
    }

    /**
     * The vault passphrase: --passphrase-file, else AUTHENTICATOR_PASSPHRASE, else the no-echo prompt (twice when
     * {@code newPassphrase}). The caller wipes the array.
     */
    char[] passphrase(boolean newPassphrase) {
        if (passphraseFile != null) {
            return readPassphraseFile(passphraseFile);
        }
        String fromEnvironment = environment.variable(PASSPHRASE_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment.toCharArray();
        }
        return ask(newPassphrase ? "New vault passphrase: " : "Vault passphrase: ", newPassphrase,
                "Use --passphrase-file FILE or set " + PASSPHRASE_VARIABLE + ".");
    }

    /**
     * A passphrase other than the vault's (a new one for {@code passwd}, an export's, an Aegis password): from
     * {@code file} when given, else the no-echo prompt (twice when {@code twice}). The caller wipes the array.
     *
     * @param hint what to do when there is no terminal, e.g. "Use --new-passphrase-file FILE."
     */
    char[] otherPassphrase(Path file, String prompt, boolean twice, String hint) {
        return file != null ? readPassphraseFile(file) : ask(prompt, twice, hint);
    }

    private char[] ask(String text, boolean twice, String hint) {
        CliEnvironment.PasswordPrompt prompt = environment.prompt();
        if (prompt == null) {
            throw new CliException("No passphrase: there is no terminal to ask on. " + hint);
        }
        char[] first = prompt.readPassword(text);
        if (first == null || first.length == 0) {
            throw new CliException("No passphrase given.");
        }
        if (!twice) {
            return first;
        }
        char[] second = prompt.readPassword("Repeat the passphrase: ");
        try {
            if (second == null || !Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new CliException("The two passphrases differ; nothing was changed.");
            }
            return first;
        } finally {
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    private static char[] readPassphraseFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliException("No such passphrase file: " + file);
        } catch (IOException e) {
            throw new CliException("Cannot read the passphrase file " + file + ": " + e.getMessage());
        }
        try {
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, end));
            char[] passphrase = new char[chars.remaining()];
            chars.get(passphrase);
            Arrays.fill(chars.array(), '\0');
            if (passphrase.length == 0) {
                throw new CliException("The passphrase file " + file + " is empty.");
            }
            return passphrase;
        } catch (CharacterCodingException e) {
            throw new CliException("The passphrase file " + file + " is not UTF-8 text.");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
