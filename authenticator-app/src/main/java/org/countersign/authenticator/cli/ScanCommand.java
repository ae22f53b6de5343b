package org.countersign.authenticator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.countersign.authenticator.push.EnrollmentClient;
import org.countersign.authenticator.push.PushException;
import org.countersign.authenticator.scan.DesktopSource;
import org.countersign.authenticator.scan.QrDecoder;
import org.countersign.authenticator.scan.ScanException;
import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.authenticator.scan.ScreenRegion;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.AlreadyInVaultException;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.ProtocolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "scan", description = {"Add the accounts in QR codes from an image, the screen or the clipboard.",
    "What was found is shown first and saved once confirmed; for an enrollment code that is",
    "its organisation, user, service and TLS pin, and it is then activated with its push service."})
final class ScanCommand extends CliCommand {
    @Parameters(arity = "0..1", paramLabel = "IMAGE", description = "A PNG or JPEG image with one or more QR codes.")
    Path image;

    @Option(names = "--screen", description = "Capture the screen and scan it.")
    boolean screen;

    @Option(names = "--clipboard", description = "Scan the image on the clipboard, or read the URI copied there.")
    boolean clipboard;

    @Option(names = "--region", paramLabel = "X,Y,W,H",
            description = "With --screen: capture only this rectangle of the screen, in pixels.")
    String region;

    @Option(names = {"-y", "--yes"},
            description = "Save the accounts found and activate enrollment codes without asking first.")
    boolean yes;

    @Option(names = "--device-name", paramLabel = "NAME",
            description = "The device name shown in Security info (default: the host name).")
    String deviceName;

    @Override
    int run() {
        int sources = (image != null ? 1 : 0) + (screen ? 1 : 0) + (clipboard ? 1 : 0);
        if (sources != 1) {
            throw new ParameterException(spec.commandLine(), "Give exactly one of IMAGE, --screen or --clipboard.");
        }
        if (region != null && !screen) {
            throw new ParameterException(spec.commandLine(), "--region only goes with --screen.");
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
        confirmFound(found);
        String name = deviceName != null ? deviceName : EnrollmentClient.defaultDeviceName();
        VaultFile vaultFile = cli.vaultFile();
        int failed = failures;
        return withPassphrase(passphrase -> {
            int errors = failed;
            FoundAccounts saving = new FoundAccounts(cli.environment(), out(), name);
            // A VaultException (wrong passphrase, unwritable vault) stops everything; other failures only that code.
            for (ScannedPayload payload : found) {
                try {
                    saving.save(vaultFile, passphrase, payload);
                } catch (PushException | AlreadyInVaultException | ProtocolException e) {
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

    /**
     * Shows everything about to be saved (the otpauth accounts, and for each enrollment code the organisation, user,
     * service and TLS pin) and asks once; --yes answers for the person, and without a terminal nothing is saved.
     */
    private void confirmFound(List<ScannedPayload> found) {
        List<Account> accounts = new ArrayList<>();
        List<EnrollmentUri> enrollments = new ArrayList<>();
        for (ScannedPayload payload : found) {
            if (payload instanceof ScannedPayload.OtpAuth otpAuth) {
                OtpAuthUri uri = otpAuth.uri();
                String id = Account.newId(cli.environment().random());
                accounts.add(uri.type() == OtpType.TOTP ? TotpAccount.fromUri(id, uri) : HotpAccount.fromUri(id, uri));
            } else if (payload instanceof ScannedPayload.Enrollment enrollment) {
                enrollments.add(enrollment.uri());
            }
        }
        if (!accounts.isEmpty()) {
            out().println("About to add:");
            AccountTable.print(out(), accounts);
        }
        if (!enrollments.isEmpty()) {
            out().println("About to activate push approvals on this computer:");
            EnrollmentPreview.print(out(), enrollments);
        }
        int count = accounts.size() + enrollments.size();
        String question = count > 1 ? "Add these " + count + " accounts?"
                : accounts.isEmpty() ? "Activate this push account?" : "Add this account?";
        if (!confirm(question, yes)) {
            throw new CliException("Nothing was added.");
        }
    }

    private List<String> scan() {
        QrDecoder decoder = new QrDecoder();
        if (image != null) {
            return decoder.decode(image);
        }
        DesktopSource desktop = new DesktopSource(decoder);
        return screen ? desktop.scanScreen(Optional.ofNullable(region).map(ScreenRegion::parse))
                : desktop.scanClipboard();
    }
}
