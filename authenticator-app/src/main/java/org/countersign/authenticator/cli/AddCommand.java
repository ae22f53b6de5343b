package org.countersign.authenticator.cli;

import org.countersign.authenticator.push.EnrollmentClient;
import org.countersign.authenticator.scan.ScannedPayload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add", description = {"Add an account from an otpauth:// or countersign://enroll URI given as text.",
    "The enrollment URI is the text shown under the QR code (\"can't scan the image?\")."})
final class AddCommand extends CliCommand {
    @Parameters(paramLabel = "URI", description = "otpauth://totp/..., otpauth://hotp/... or countersign://enroll?...")
    String uri;

    @Option(names = "--device-name", paramLabel = "NAME",
            description = "The device name shown in Security info for an enrollment (default: the host name).")
    String deviceName;

    @Override
    int run() {
        ScannedPayload payload = ScannedPayload.classify(uri);
        String name = deviceName != null ? deviceName : EnrollmentClient.defaultDeviceName();
        return withPassphrase(passphrase -> {
            new FoundAccounts(cli.environment(), out(), name).save(cli.vaultFile(), passphrase, payload);
            return 0;
        });
    }
}
