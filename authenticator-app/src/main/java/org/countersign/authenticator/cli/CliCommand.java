package org.countersign.authenticator.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.countersign.authenticator.clock.ClockProbeException;
import org.countersign.authenticator.imports.ImportException;
import org.countersign.authenticator.push.PushException;
import org.countersign.authenticator.scan.ScanException;
import org.countersign.authenticator.vault.VaultException;
import org.countersign.protocol.ProtocolException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The frame of every command: turns the core's errors into one line on stderr and exit code 1 (a stack trace only
 * with --debug), so the CLI behaves the same however picocli is configured.
 */
abstract class CliCommand implements Callable<Integer> {
    @ParentCommand
    AuthenticatorCli cli;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true,
            description = "Show this command's options and exit.")
    boolean help;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (ParameterException e) {
            throw e;
        } catch (CliException | VaultException | ScanException | PushException | ProtocolException
                 | ImportException | ClockProbeException e) {
            return fail(e.getMessage(), e);
        } catch (RuntimeException e) {
            return fail("unexpected failure (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); run with --debug for details", e);
        } finally {
            out().flush();
            err().flush();
        }
    }

    /** The command's work; returns the exit code. */
    abstract int run();

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    private int fail(String message, RuntimeException e) {
        err().println("error: " + message);
        if (cli.debug) {
            e.printStackTrace(err());
        }
        return 1;
    }

    /** Runs {@code work} with the vault passphrase, wiped afterwards. */
    <T> T withPassphrase(java.util.function.Function<char[], T> work) {
        org.countersign.authenticator.vault.VaultFile vaultFile = cli.vaultFile();
        if (!vaultFile.exists()) {
            throw new CliException("No vault at " + vaultFile.path() + ". Create one with `authenticator init`.");
        }
        char[] passphrase = cli.passphrase(false);
        try {
            return work.apply(passphrase);
        } finally {
            java.util.Arrays.fill(passphrase, '\0');
        }
    }

    /**
     * Asks a yes/no question on stdin; {@code yes} (the --yes flag) answers it without asking. Without a terminal
     * (input piped or absent) and without --yes it refuses rather than wait on input nobody will type.
     *
     * @throws CliException when there is no terminal and no --yes
     */
    boolean confirm(String question, boolean yes) {
        if (yes) {
            return true;
        }
        if (cli.environment().prompt() == null) {
            throw new CliException("Nothing was saved: there is no terminal to confirm on. Add --yes to save"
                    + " without asking.");
        }
        out().print(question + " [y/N] ");
        out().flush();
        try {
            String answer = cli.stdinLines().readLine();
            String reply = answer == null ? "" : answer.strip().toLowerCase(java.util.Locale.ROOT);
            return reply.equals("y") || reply.equals("yes");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /**
     * The push account named by {@code query}, or the only push account when {@code query} is null.
     */
    static org.countersign.authenticator.vault.PushAccount pushAccount(
            org.countersign.authenticator.vault.Vault vault, String query) {
        if (query != null) {
            var account = vault.find(query);
            if (account instanceof org.countersign.authenticator.vault.PushAccount push) {
                return push;
            }
            throw new CliException(account.displayName() + " is a " + account.type() + " account, not a push account.");
        }
        var accounts = vault.pushAccounts();
        if (accounts.isEmpty()) {
            throw new CliException("The vault has no push accounts. Scan an enrollment code with `authenticator scan`.");
        }
        if (accounts.size() > 1) {
            throw new CliException("The vault has " + accounts.size() + " push accounts; choose one with --account ("
                    + accounts.stream().map(a -> a.displayName()).collect(java.util.stream.Collectors.joining(", "))
                    + ").");
        }
        return accounts.get(0);
    }

    /** Server-supplied text made safe for a terminal: control characters shown as '?'. */
    static String printable(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}", "?");
    }
}
