package org.countersign.authenticator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.countersign.authenticator.vault.KdfParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AuthenticatorCliTest {
    /** RFC 6238's SHA1 seed "12345678901234567890" in base32. */
    private static final String RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    private static final String GITHUB = "otpauth://totp/GitHub:alice?secret=" + RFC_SECRET + "&issuer=GitHub&digits=8";
    private static final String GITLAB = "otpauth://totp/GitLab:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitLab";
    private static final String BANK = "otpauth://hotp/Bank:bob?secret=" + RFC_SECRET + "&counter=0";

    @TempDir
    Path directory;
    private Path vault;
    private Map<String, String> environment;
    private Clock clock = Clock.fixed(Instant.ofEpochSecond(59), ZoneOffset.UTC);
    private CliEnvironment.PasswordPrompt prompt;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void setUp() {
        vault = directory.resolve("vault.cs");
        environment = Map.of("AUTHENTICATOR_PASSPHRASE", "test passphrase");
    }

    private Run runWithInput(String stdin, String... args) {
        CliEnvironment cliEnvironment = CliEnvironment.builder()
                .environment(environment)
                .stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .prompt(prompt)
                .clock(clock)
                .kdfForNewVaults(KdfParameters.forTestsOnly())
                .home(directory.resolve("home"))
                .build();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new AuthenticatorCli(cliEnvironment));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--vault");
        all.add(vault.toString());
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Run run(String... args) {
        return runWithInput("", args);
    }

    private void initWith(String... uris) {
        assertThat(run("init").exitCode()).isZero();
        for (String uri : uris) {
            assertThat(run("add", uri).exitCode()).isZero();
        }
    }

    @Nested
    class Init {
        @Test
        void createsTheVault() {
            Run result = run("init");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).contains("Created the vault " + vault);
            assertThat(vault).exists();
        }

        @Test
        void refusesToOverwriteAnExistingVault() throws IOException {
            Files.writeString(vault, "something precious");

            Run result = run("init");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("already exists");
            assertThat(Files.readString(vault)).isEqualTo("something precious");
        }

        @Test
        void asksForTheNewPassphraseTwiceWhenPrompting() {
            environment = Map.of();
            List<String> prompts = new ArrayList<>();
            prompt = text -> {
                prompts.add(text);
                return "typed secret".toCharArray();
            };

            assertThat(run("init").exitCode()).isZero();
            assertThat(prompts).hasSize(2);
        }

        @Test
        void refusesTwoDifferentPassphrases() {
            environment = Map.of();
            String[] answers = {"first", "second"};
            int[] asked = {0};
            prompt = text -> answers[asked[0]++].toCharArray();

            Run result = run("init");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("The two passphrases differ");
            assertThat(vault).doesNotExist();
        }

        @Test
        void withoutAnyPassphraseSourceSaysWhereToPutOne() {
            environment = Map.of();
            prompt = null;

            Run result = run("init");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err().strip()).isEqualTo("error: No passphrase: there is no terminal to ask on. "
                    + "Use --passphrase-file FILE or set AUTHENTICATOR_PASSPHRASE.");
        }

        @Test
        void readsThePassphraseFromAFileBeforeTheEnvironment() throws IOException {
            Path file = directory.resolve("passphrase.txt");
            Files.writeString(file, "from the file\n");
            run("--passphrase-file", file.toString(), "init");

            assertThat(run("list").exitCode()).isEqualTo(1);
            environment = Map.of();
            assertThat(run("list", "--passphrase-file", file.toString()).exitCode()).isZero();
        }
    }

    @Nested
    class AddListAndCode {
        @Test
        void listShowsNameTypeAndParameters() {
            initWith(GITHUB, BANK);

            Run result = run("list");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).containsPattern("GitHub:alice\\s+totp\\s+SHA1, 8 digits, 30 s")
                    .containsPattern("Bank:bob\\s+hotp\\s+SHA1, 6 digits, counter 0");
        }

        @Test
        void codePrintsOnlyTheCodeOnStdoutAndTheTimeLeftOnStderr() {
            initWith(GITHUB);

            Run result = run("code", "github");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).isEqualTo("94287082" + System.lineSeparator());
            assertThat(result.err()).contains("valid for 1 more second");
        }

        @Test
        void hotpCodesAdvanceTheSavedCounter() {
            initWith(BANK);

            assertThat(run("code", "bank").out().strip()).isEqualTo("755224");
            assertThat(run("code", "bank").out().strip()).isEqualTo("287082");
            assertThat(run("list").out()).contains("counter 2");
        }

        @Test
        void theSameAccountCannotBeAddedTwice() {
            initWith(GITHUB);

            Run result = run("add", GITHUB);

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("GitHub:alice is already in the vault.");
        }

        @Test
        void anUnknownAccountIsAOneLineError() {
            initWith(GITHUB);

            Run result = run("code", "dropbox");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.err().strip()).isEqualTo("error: No account matches 'dropbox' (see `authenticator list`).");
        }

        @Test
        void anAmbiguousAccountListsTheCandidates() {
            initWith(GITHUB, GITLAB);

            Run result = run("code", "alice");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("'alice' matches 2 accounts").contains("GitHub:alice", "GitLab:alice");
            assertThat(result.err().lines()).hasSize(1);
        }

        @Test
        void aBadUriIsAOneLineErrorWithoutAStackTrace() {
            initWith();

            Run result = run("add", "otpauth://totp/X:y?secret=!!!");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).startsWith("error: Not a valid otpauth code").contains("secret");
            assertThat(result.err().lines()).hasSize(1);
            assertThat(result.err()).doesNotContain("Exception", "\tat ");
        }

        @Test
        void anythingButAUriIsRefused() {
            initWith();

            Run result = run("add", "hello world");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("Not a Countersign enrollment code or an otpauth:// account: \"hello world\"");
        }

        @Test
        void aWrongPassphraseIsAOneLineError() {
            initWith(GITHUB);
            environment = Map.of("AUTHENTICATOR_PASSPHRASE", "wrong");

            Run result = run("list");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("wrong passphrase or damaged file");
            assertThat(result.err().lines()).hasSize(1);
        }

        @Test
        void debugAddsTheStackTrace() {
            initWith(GITHUB);

            Run result = run("code", "dropbox", "--debug");

            assertThat(result.err()).contains("VaultException").contains("\tat ");
        }

        @Test
        void aMissingVaultSaysToRunInit() {
            Run result = run("list");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("authenticator init");
        }
    }

    @Nested
    class Remove {
        @Test
        void removesAfterConfirmation() {
            initWith(GITHUB, GITLAB);

            Run result = runWithInput("y\n", "remove", "gitlab");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).contains("Remove GitLab:alice (totp)?").contains("Removed GitLab:alice.");
            assertThat(run("list").out()).contains("GitHub:alice").doesNotContain("GitLab");
        }

        @Test
        void keepsTheAccountWithoutConfirmation() {
            initWith(GITHUB);

            Run result = runWithInput("n\n", "remove", "github");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("Nothing was removed.");
            assertThat(run("list").out()).contains("GitHub:alice");
        }

        @Test
        void yesSkipsTheQuestion() {
            initWith(GITHUB);

            Run result = run("remove", "--yes", "github");

            assertThat(result.exitCode()).isZero();
            assertThat(run("list").out()).contains("no accounts yet");
        }

        @Test
        void anUnknownAccountIsAnError() {
            initWith(GITHUB);

            assertThat(run("remove", "--yes", "nothing").exitCode()).isEqualTo(1);
        }
    }

    @Nested
    class AWrongPassphrase {
        @Test
        void leavesTheVaultAndItsBackupsByteForByteOnAddAndRemove() throws IOException {
            initWith(GITHUB, GITLAB);
            Map<String, byte[]> before = vaultFiles();
            assertThat(before).containsKeys("vault.cs", "vault.cs.bak.1", "vault.cs.bak.2");
            environment = Map.of("AUTHENTICATOR_PASSPHRASE", "wrong");

            for (Run result : List.of(run("add", BANK), run("remove", "--yes", "gitlab"),
                    runWithInput("y\n", "remove", "github"))) {
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
                assertThat(result.err()).contains("wrong passphrase or damaged file");
                assertThat(result.err().lines()).hasSize(1);
                assertThat(vaultFiles()).as("vault files after a refused %s", result)
                        .containsOnlyKeys(before.keySet())
                        .allSatisfy((name, bytes) -> assertThat(bytes).as(name).isEqualTo(before.get(name)));
            }
        }

        /** Every file of the vault's directory whose name starts with the vault's (backups, temporary files). */
        private Map<String, byte[]> vaultFiles() throws IOException {
            Map<String, byte[]> files = new TreeMap<>();
            try (Stream<Path> listing = Files.list(directory)) {
                for (Path file : listing.filter(f -> f.getFileName().toString().startsWith("vault.cs")).toList()) {
                    files.put(file.getFileName().toString(), Files.readAllBytes(file));
                }
            }
            return files;
        }
    }

    @Nested
    class Usage {
        @Test
        void anUnknownCommandIsAUsageError() {
            assertThat(run("frobnicate").exitCode()).isEqualTo(2);
        }

        @Test
        void respondNeedsExactlyOneDecision() {
            initWith();
            assertThat(run("respond", "s-1", "--deny", "--fraud").exitCode()).isEqualTo(2);
            assertThat(run("respond", "s-1", "--approve").exitCode()).isEqualTo(2);
        }

        @Test
        void everyCommandExplainsItsOptions() {
            for (String command : new String[] {"init", "scan", "add", "list", "code", "passwd", "verify-backup",
                "doctor", "import", "export", "time-check", "listen", "respond", "remove", "gui"}) {
                Run help = run(command, "--help");

                assertThat(help.exitCode()).as(command).isZero();
                assertThat(help.out()).as(command).startsWith("Usage: authenticator " + command)
                        .contains("-h, --help");
            }
        }

        @Test
        void scanNeedsExactlyOneSource() {
            assertThat(run("scan").exitCode()).isEqualTo(2);
        }

        @Test
        void respondWithoutPushAccountsSaysHowToGetOne() {
            initWith(GITHUB);

            Run result = run("respond", "s-1", "--deny");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("no push accounts");
        }

        @Test
        void scanningAClipboardWithoutADisplayIsAClearError() {
            org.junit.jupiter.api.Assumptions.assumeTrue(java.awt.GraphicsEnvironment.isHeadless());
            initWith();

            Run result = run("scan", "--clipboard");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("no display");
        }
    }
}
