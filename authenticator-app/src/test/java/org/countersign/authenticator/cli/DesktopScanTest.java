package org.countersign.authenticator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.GraphicsEnvironment;
import java.awt.Image;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.datatransfer.DataFlavor;
import java.awt.datatransfer.StringSelection;
import java.awt.datatransfer.Transferable;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.ImageIcon;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import org.countersign.authenticator.testing.RealDisplay;
import org.countersign.authenticator.vault.KdfParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code scan --screen} and {@code scan --clipboard} on a real display (Xvfb in CI): QR codes shown in a real window
 * and put on the real system clipboard, read by the real command into a real vault. Screenshots go to
 * target/screenshots/.
 */
@Timeout(60)
class DesktopScanTest {
    private static final String GITHUB = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
            + "&issuer=GitHub";
    private static final String BANK = "otpauth://hotp/Bank:bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            + "&issuer=Bank&counter=5";

    @TempDir
    Path directory;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void displayAndVault() {
        RealDisplay.require();
        assertThat(run("init").exitCode()).isZero();
    }

    private Run run(String... args) {
        CliEnvironment environment = CliEnvironment.builder()
                .environment(Map.of("AUTHENTICATOR_PASSPHRASE", "test passphrase"))
                .stdin(new ByteArrayInputStream(new byte[0])).prompt(null).clock(Clock.systemUTC())
                .kdfForNewVaults(KdfParameters.forTestsOnly()).home(directory.resolve("home")).build();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new AuthenticatorCli(environment));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--vault";
        all[1] = directory.resolve("vault.cs").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(commandLine.execute(all), out.toString(), err.toString());
    }

    private String accounts() {
        Run list = run("list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        return list.out();
    }

    private static BufferedImage qr(String text) throws Exception {
        return MatrixToImageWriter.toBufferedImage(new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 260, 260));
    }

    @Nested
    class Screen {
        private JFrame window;
        private JLabel github;
        private JLabel bank;

        /** An undecorated window at (40, 40) showing the two codes side by side, 200 px apart. */
        @BeforeEach
        void showTwoCodes() throws Exception {
            BufferedImage githubCode = qr(GITHUB);
            BufferedImage bankCode = qr(BANK);
            SwingUtilities.invokeAndWait(() -> {
                window = new JFrame("QR codes");
                window.setUndecorated(true);
                window.getContentPane().setBackground(Color.WHITE);
                window.getContentPane().setLayout(new FlowLayout(FlowLayout.LEFT, 100, 20));
                github = new JLabel(new ImageIcon(githubCode));
                bank = new JLabel(new ImageIcon(bankCode));
                window.add(github);
                window.add(bank);
                window.pack();
                window.setLocation(40, 40);
                window.setAlwaysOnTop(true);
                window.setVisible(true);
            });
            Robot robot = new Robot();
            robot.waitForIdle();
            screenshot(robot, "scan-screen-two-codes");
        }

        @AfterEach
        void close() throws Exception {
            if (window != null) {
                SwingUtilities.invokeAndWait(window::dispose);
            }
        }

        private String regionOf(JLabel label) throws Exception {
            AtomicReference<Rectangle> bounds = new AtomicReference<>();
            SwingUtilities.invokeAndWait(() -> {
                Point corner = label.getLocationOnScreen();
                bounds.set(new Rectangle(corner.x, corner.y, label.getWidth(), label.getHeight()));
            });
            Rectangle r = bounds.get();
            return r.x + "," + r.y + "," + r.width + "," + r.height;
        }

        @Test
        void theWholeScreenGivesBothAccounts() {
            Run scan = run("scan", "--screen", "--yes");

            assertThat(scan.exitCode()).as(scan.err()).isZero();
            assertThat(scan.out()).contains("Found 2 QR codes.", "Added TOTP account GitHub:alice",
                    "Added HOTP account Bank:bob");
            assertThat(accounts()).contains("GitHub:alice").contains("Bank:bob");
        }

        @Test
        void aRegionGivesOnlyTheCodeInsideIt() throws Exception {
            Run scan = run("scan", "--screen", "--region", regionOf(bank), "--yes");

            assertThat(scan.exitCode()).as(scan.err()).isZero();
            assertThat(scan.out()).contains("Added HOTP account Bank:bob").doesNotContain("GitHub");
            assertThat(accounts()).contains("Bank:bob").doesNotContain("GitHub:alice");
        }

        @Test
        void theRegionSyntaxIsCheckedBeforeTheScreenIsCaptured() {
            Run scan = run("scan", "--screen", "--region", "40,40,260", "--yes");

            assertThat(scan.exitCode()).isEqualTo(1);
            assertThat(scan.err()).contains("A screen region is x,y,width,height (for example 0,0,800,600).");
            assertThat(accounts()).contains("no accounts");
        }

        @Test
        void aRegionOffTheScreenIsAClearError() {
            Run scan = run("scan", "--screen", "--region", "100000,100000,50,50", "--yes");

            assertThat(scan.exitCode()).isEqualTo(1);
            assertThat(scan.err()).contains("lies outside the screen");
        }

        private void screenshot(Robot robot, String name) throws Exception {
            Rectangle all = new Rectangle(Toolkit.getDefaultToolkit().getScreenSize());
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            ImageIO.write(robot.createScreenCapture(all), "png", dir.resolve(name + ".png").toFile());
        }
    }

    @Nested
    class Clipboard {
        @AfterEach
        void emptyTheClipboard() {
            if (!GraphicsEnvironment.isHeadless()) { // after-each hooks run for skipped tests too
                Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(""), null);
            }
        }

        /** What an image copied from a browser or a screenshot tool looks like to Java. */
        private record CopiedImage(Image image) implements Transferable {
            @Override
            public DataFlavor[] getTransferDataFlavors() {
                return new DataFlavor[] {DataFlavor.imageFlavor};
            }

            @Override
            public boolean isDataFlavorSupported(DataFlavor flavor) {
                return DataFlavor.imageFlavor.equals(flavor);
            }

            @Override
            public Object getTransferData(DataFlavor flavor) {
                return image;
            }
        }

        @Test
        void aCopiedImageOfACodeIsScanned() throws Exception {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new CopiedImage(qr(GITHUB)), null);

            Run scan = run("scan", "--clipboard", "--yes");

            assertThat(scan.exitCode()).as(scan.err()).isZero();
            assertThat(scan.out()).contains("Added TOTP account GitHub:alice");
            assertThat(accounts()).contains("GitHub:alice");
        }

        @Test
        void aCopiedOtpauthUriIsRead() {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(BANK + "\n"), null);

            Run scan = run("scan", "--clipboard", "--yes");

            assertThat(scan.exitCode()).as(scan.err()).isZero();
            assertThat(scan.out()).contains("Added HOTP account Bank:bob");
            assertThat(accounts()).contains("Bank:bob");
        }

        @Test
        void withoutYesAndWithoutATerminalNothingIsSaved() {
            Toolkit.getDefaultToolkit().getSystemClipboard().setContents(new StringSelection(GITHUB), null);

            Run scan = run("scan", "--clipboard");

            assertThat(scan.exitCode()).isEqualTo(1);
            assertThat(scan.out()).contains("About to add:").containsPattern("GitHub\\s+alice\\s+totp");
            assertThat(scan.err()).contains("--yes");
            assertThat(accounts()).doesNotContain("GitHub:alice");
        }
    }
}
