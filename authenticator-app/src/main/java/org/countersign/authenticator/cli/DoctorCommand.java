package org.countersign.authenticator.cli;

import org.countersign.authenticator.scan.Diagnosis;
import org.countersign.authenticator.scan.Finding;
import org.countersign.authenticator.scan.OtpAuthDoctor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "doctor", description = {
    "Explain what is wrong or unusual in an otpauth:// URI, and its normalised form.",
    "Exit code 0 when it can be used (perhaps with warnings), 1 when it cannot. Needs no vault."})
final class DoctorCommand extends CliCommand {
    @Parameters(paramLabel = "URI", description = "The otpauth:// URI (quote it for the shell).")
    String uri;

    @Option(names = "--show-secret", description = "Print the normalised URI with its secret (default: ***).")
    boolean showSecret;

    @Override
    int run() {
        Diagnosis diagnosis = new OtpAuthDoctor().examine(uri);
        for (Finding finding : diagnosis.findings()) {
            out().println(finding.severity().name().toLowerCase(java.util.Locale.ROOT) + ": "
                    + printable(finding.message()));
        }
        if (!diagnosis.usable()) {
            out().println("This URI cannot be used.");
            return 1;
        }
        if (diagnosis.findings().isEmpty()) {
            out().println("Fine: nothing wrong or unusual.");
        }
        String normalised = showSecret ? diagnosis.normalised().orElseThrow().format()
                : diagnosis.normalisedRedacted().orElseThrow();
        out().println("Normalised: " + normalised);
        return 0;
    }
}
