package org.countersign.e2e;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.countersign.authenticator.cli.AuthenticatorCli;
import org.countersign.authenticator.cli.CliEnvironment;
import org.countersign.authenticator.vault.KdfParameters;
import picocli.CommandLine;

/** Runs the authenticator's CLI in-process against one vault, as a person would type the commands. */
final class AppRunner {
    static final String PASSPHRASE = "a long vault passphrase";

    private final Path vault;
    private final Clock clock;

    AppRunner(Path vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
    }

    /** What a command printed and how it ended. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    Run run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), new StringWriter(), new StringWriter(), args);
    }

    Run runWithInput(String stdin, String... args) {
        return run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new StringWriter(),
                new StringWriter(), args);
    }

    /** Runs with the given streams, so a test can read the output while the command still runs. */
    Run run(InputStream stdin, StringWriter out, StringWriter err, String... args) {
        CliEnvironment environment = CliEnvironment.builder()
                .environment(Map.of("AUTHENTICATOR_PASSPHRASE", PASSPHRASE))
                .stdin(stdin)
                .prompt(null)
                .clock(clock)
                .kdfForNewVaults(KdfParameters.forTestsOnly())
                .build();
        CommandLine commandLine = new CommandLine(new AuthenticatorCli(environment));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--vault";
        all[1] = vault.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        int exit = commandLine.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }
}
