package org.countersign.authenticator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersign.authenticator.vault.KdfParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NewCommandsTest {
    private static final String GITHUB = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
            + "&issuer=GitHub";
    private static final String BANK = "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5";

    @TempDir
    Path directory;
    private Path vault;
    private Map<String, String> environment;
    private CliEnvironment.PasswordPrompt prompt;
    private Clock clock = Clock.systemUTC();

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void setUp() {
        vault = directory.resolve("vault.cs");
        environment = Map.of("AUTHENTICATOR_PASSPHRASE", "test passphrase");
    }

    private Run runWithInput(String stdin, String... args) {
        CliEnvironment cliEnvironment = CliEnvironment.builder().environment(environment)
                .stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))).prompt(prompt).clock(clock)
                .kdfForNewVaults(KdfParameters.forTestsOnly()).home(directory.resolve("home")).build();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new AuthenticatorCli(cliEnvironment));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--vault");
        all.add(vault.toString());
        return new Run(commandLine.execute(all.toArray(String[]::new)), out.toString(), err.toString());
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

    private Path file(String name, String content) throws IOException {
        return Files.writeString(directory.resolve(name), content);
    }

    @Nested
    class Passwd {
        @Test
        void reKeysWithTheNewPassphraseFromAFile() throws IOException {
            initWith(GITHUB);
            Path fresh = file("new.txt", "the new passphrase\n");

            Run result = run("passwd", "--new-passphrase-file", fresh.toString());

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("Changed the passphrase");
            assertThat(run("list").exitCode()).isEqualTo(1);
            assertThat(run("list", "--passphrase-file", fresh.toString()).out()).contains("GitHub:alice");
        }

        @Test
        void asksTheOldPassphraseThenTheNewOneTwiceWhenPrompting() {
            initWith(GITHUB);
            environment = Map.of();
            List<String> asked = new ArrayList<>();
            var answers = List.of("test passphrase", "brand new", "brand new").iterator();
            prompt = text -> {
                asked.add(text);
                return answers.next().toCharArray();
            };

            Run result = run("passwd");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(asked).containsExactly("Vault passphrase: ", "New vault passphrase: ",
                    "Repeat the passphrase: ");
        }

        @Test
        void withoutATerminalOrFileTheNewPassphraseIsRefused() {
            initWith(GITHUB);

            Run result = run("passwd");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("--new-passphrase-file");
        }
    }

    @Nested
    class VerifyBackup {
        @Test
        void listsNamesAndTypesOfTheNewestBackupButNoSecret() {
            initWith(GITHUB, BANK);

            Run result = run("verify-backup", vault + ".bak.1");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("decrypts (format version 2) and holds 1 account")
                    .contains("totp  GitHub:alice").doesNotContain("JBSWY3DP");
        }

        @Test
        void aDamagedBackupIsAClearError() throws IOException {
            initWith(GITHUB, BANK);
            Path backup = Path.of(vault + ".bak.1");
            byte[] bytes = Files.readAllBytes(backup);
            bytes[bytes.length - 1] ^= 1;
            Files.write(backup, bytes);

            Run result = run("verify-backup", backup.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("wrong passphrase or damaged file");
        }
    }

    @Nested
    class Doctor {
        @Test
        void aUsableUriWithWarningsExitsZeroAndShowsTheNormalisedFormWithoutTheSecret() {
            Run result = run("doctor", "otpauth://totp/Acme:alice?secret=jbswy3dpehpk3pxp&issuer=AcmeCorp");

            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).contains("warning: The label says the issuer is 'Acme'")
                    .contains("Normalised: otpauth://totp/AcmeCorp:alice?secret=***&issuer=AcmeCorp");
        }

        @Test
        void anUnusableUriExitsOne() {
            Run result = run("doctor", "otpauth://totp/A:a?secret=1");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).contains("error:").contains("cannot be used");
        }
    }

    @Nested
    class ImportAndExport {
        @Test
        void aUriListIsShownAndImportedWithYesAndDuplicatesAreSkipped() throws IOException {
            initWith(GITHUB);
            Path list = file("list.txt", "# mine\n" + GITHUB + "\n" + BANK + "\nnonsense\n");

            Run result = run("import", list.toString(), "--yes");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).contains("About to import 2 accounts").contains("Bank").contains("Imported 1");
            assertThat(result.err()).contains("not carried over: Line 4").contains("already in the vault: GitHub:alice");
        }

        @Test
        void withoutATerminalAndWithoutYesNothingIsImported() throws IOException {
            initWith();
            Path list = file("list.txt", BANK + "\n");

            Run result = run("import", list.toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("no terminal to confirm on").contains("--yes");
            assertThat(run("list").out()).contains("no accounts yet");
        }

        @Test
        void aPromptedNoImportsNothing() throws IOException {
            initWith();
            prompt = text -> "test passphrase".toCharArray();

            Run result = runWithInput("n\n", "import", file("list.txt", BANK).toString());

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("Nothing was imported.");
        }

        @Test
        void plaintextExportNeedsTheFlagWarnsAndLeavesPushAccountsOut() throws IOException {
            initWith(GITHUB, BANK);
            Path target = directory.resolve("out.txt");

            assertThat(run("export", "--format", "uris", target.toString()).exitCode()).isEqualTo(2);
            Run result = run("export", "--plaintext", "--format", "uris", target.toString());

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.err()).contains("warning:").contains("UNENCRYPTED");
            assertThat(Files.readAllLines(target)).hasSize(2).allMatch(line -> line.startsWith("otpauth://"));
        }

        @Test
        void anEncryptedExportVerifiesAndImportsIntoAnotherVault() throws IOException {
            initWith(GITHUB, BANK);
            Path export = directory.resolve("export.cs");
            Path exportPassphrase = file("export-pass.txt", "export passphrase");

            assertThat(run("export", export.toString(), "--file-passphrase-file", exportPassphrase.toString())
                    .exitCode()).isZero();
            assertThat(run("verify-backup", export.toString(), "--passphrase-file", exportPassphrase.toString())
                    .out()).contains("holds 2 accounts");
            vault = directory.resolve("other.cs");
            initWith();
            Run imported = run("import", export.toString(), "--file-passphrase-file", exportPassphrase.toString(),
                    "--yes");

            assertThat(imported.exitCode()).as(imported.err()).isZero();
            assertThat(run("list").out()).contains("GitHub:alice").contains("Bank:bob");
        }

        @Test
        void googleQrImagesImportTogether() throws IOException {
            initWith(GITHUB, BANK);
            Path folder = directory.resolve("qr");
            assertThat(run("export", "--plaintext", "--format", "google-qr", folder.toString()).exitCode()).isZero();
            vault = directory.resolve("other.cs");
            initWith();

            Run result = run("import", "--image", folder.resolve("google-export-1-of-1.png").toString(), "--yes");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(run("list").out()).contains("GitHub:alice").contains("Bank:bob");
        }
    }

    @Nested
    class Scanning {
        private Path qrImage(String text) throws Exception {
            Path image = directory.resolve("code.png");
            MatrixToImageWriter.writeToPath(new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 300, 300),
                    "PNG", image);
            return image;
        }

        @Test
        void showsWhatWillBeAddedAndAddsAfterYes() throws Exception {
            initWith();
            prompt = text -> "test passphrase".toCharArray();

            Run result = runWithInput("y\n", "scan", qrImage(GITHUB).toString());

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).containsPattern("GitHub\\s+alice\\s+totp\\s+SHA1\\s+6\\s+30 s")
                    .contains("Add this account? [y/N]");
            assertThat(run("list").out()).contains("GitHub:alice");
        }

        @Test
        void withoutATerminalItRefusesUnlessYes() throws Exception {
            initWith();
            Path image = qrImage(GITHUB);

            assertThat(run("scan", image.toString()).err()).contains("--yes");
            assertThat(run("scan", image.toString(), "--yes").exitCode()).isZero();
        }

        @Test
        void aRegionNeedsTheScreen() {
            assertThat(run("scan", "--clipboard", "--region", "0,0,10,10").exitCode()).isEqualTo(2);
        }
    }

    @Nested
    class TimeCheck {
        @Test
        void aSkewOver30SecondsFailsIsRememberedAndMakesCodeWarn() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            try {
                initWith(GITHUB);
                clock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-45));
                String origin = "http://127.0.0.1:" + server.getAddress().getPort();
                String url = origin + "/";

                Run check = run("time-check", url);

                assertThat(check.exitCode()).isEqualTo(1);
                assertThat(check.out()).contains("error: the local clock is 4").contains("s behind " + origin + ".");
                Run code = run("code", "github");
                assertThat(code.exitCode()).isZero();
                assertThat(code.err()).contains("warning: at the last time-check").contains("may be refused");

                clock = Clock.systemUTC();
                assertThat(run("time-check", url).exitCode()).isZero();
                assertThat(run("code", "github").err()).doesNotContain("warning");
            } finally {
                server.stop(0);
            }
        }

        @Test
        void withNothingToCompareWithItSaysSo() {
            initWith(GITHUB);

            Run result = run("time-check");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("Nothing to compare with");
        }
    }
}
