package org.countersign.authenticator.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.countersign.protocol.EnrollmentUri;

/**
 * Prints what activating an enrollment code will do, before it is activated: who it registers, where, and how the
 * service's identity is checked. Never the activation code.
 */
final class EnrollmentPreview {
    private EnrollmentPreview() {
    }

    static void print(PrintWriter out, List<EnrollmentUri> enrollments) {
        for (EnrollmentUri enrollment : enrollments) {
            out.println("  organisation: " + CliCommand.printable(enrollment.issuer()));
            out.println("  user:         " + CliCommand.printable(enrollment.user()));
            out.println("  service:      " + service(enrollment.activationUrl()));
            out.println("  TLS pin:      " + pin(enrollment));
        }
    }

    private static String pin(EnrollmentUri enrollment) {
        if (enrollment.pin().isPresent()) {
            return "yes: only the server key in the code is trusted";
        }
        return "https".equalsIgnoreCase(enrollment.activationUrl().getScheme())
                ? "none: the system's trusted certificate authorities decide"
                : "none: plain http, allowed only to this computer";
    }

    /** {@code host[:port] (scheme)}: what the person can compare with the address they expect. */
    static String service(URI url) {
        return CliCommand.printable(url.getHost()) + (url.getPort() > 0 ? ":" + url.getPort() : "")
                + " (" + url.getScheme().toLowerCase(Locale.ROOT) + ")";
    }
}
