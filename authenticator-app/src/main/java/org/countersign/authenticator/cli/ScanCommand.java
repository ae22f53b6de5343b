package org.countersign.authenticator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.countersign.authenticator.push.EnrollmentClient;
import org.countersign.authenticator.push.PushException;
import org.countersign.authenticator.scan.DesktopSource;
import org.countersign.authenticator.scan.QrDecoder;
import org.countersign.authenticator.scan.ScanException;
import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.ProtocolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "scan", description = {"Add the accounts in QR codes from an image, the screen or the clipboard.",
    "An enrollment code is activated with its push service; an otpauth code is stored as it is."})
final class ScanCommand extends CliCommand {
    @Parameters(arity = "0..1", paramLabel = "IMAGE", description = "A PNG or JPEG image with one or more QR codes.")
    Path image;

    @Option(names = "--screen", description = "Capture the screen and scan it.")
    boolean screen;

    @Option(names = "--clipboard", description = "Scan the image on the clipboard, or read the URI copied there.")
    boolean clipboard;

    @Option(names = "--device-name", paramLabel = "NAME",
            description = "The device name shown in Security info (default: the host name).")
    String deviceName;

    @Override
    int run() {
        int sources = (image != null ? 1 : 0) + (screen ? 1 : 0) + (clipboard ? 1 : 0);
        if (sources != 1) {
            throw new ParameterException(spec.commandLine(), "Give exactly one of IMAGE, --screen or --clipboard.");
        }
        List<String> payloads = scan();
        List<ScannedPayload> found = new ArrayList<>();
        int failures = 0;
        for (String payload : payloads) {
            try {
                found.add(ScannedPayload.classify(payload));
            } catch (ScanException e) {
                err().println("error: " + e.getMessage());
                failures++;
            }
        }
        if (found.isEmpty()) {
            return 1;
        }
        if (payloads.size() > 1) {
            out().println("Found " + payloads.size() + " QR codes.");
        }
        String name = deviceName != null ? deviceName : EnrollmentClient.defaultDeviceName();
        VaultFile vaultFile = cli.vaultFile();
        int failed = failures;
        return withPassphrase(passphrase -> {
            int errors = failed;
            AccountAdding adding = new AccountAdding(cli, out(), name);
            // A VaultException (wrong passphrase, unwritable vault) stops everything; other failures only that code.
            for (ScannedPayload payload : found) {
                try {
                    adding.add(vaultFile, passphrase, payload);
                } catch (PushException | CliException | ProtocolException e) {
                    if (found.size() == 1) {
                        throw e;
                    }
                    err().println("error: " + e.getMessage());
                    errors++;
                }
            }
            return errors == 0 ? 0 : 1;
        });
    }

    private List<String> scan() {
        QrDecoder decoder = new QrDecoder();
        if (image != null) {
            return decoder.decode(image);
        }
        DesktopSource desktop = new DesktopSource(decoder);
        return screen ? desktop.scanScreen() : desktop.scanClipboard();
    }
}
