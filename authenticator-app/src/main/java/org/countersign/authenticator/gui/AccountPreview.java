package org.countersign.authenticator.gui;

import java.util.ArrayList;
import java.util.List;
import org.countersign.authenticator.scan.ScannedPayload;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;

/**
 * What will be added, shown for confirmation before anything is saved or activated.
 *
 * @param question the confirmation question
 * @param fields   label and value pairs, in order
 */
public record AccountPreview(String question, List<Field> fields) {

    /** One line of the preview. */
    public record Field(String label, String value) {
    }

    public AccountPreview {
        fields = List.copyOf(fields);
    }

    public static AccountPreview of(ScannedPayload payload) {
        if (payload instanceof ScannedPayload.Enrollment enrollment) {
            return of(enrollment.uri());
        }
        return of(((ScannedPayload.OtpAuth) payload).uri());
    }

    public static AccountPreview of(OtpAuthUri uri) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Issuer", uri.issuer().isEmpty() ? "(none)" : uri.issuer()));
        fields.add(new Field("Account", uri.account()));
        fields.add(new Field("Type", uri.type() == OtpType.TOTP ? "TOTP (time-based)" : "HOTP (counter-based)"));
        fields.add(new Field("Algorithm", ManualEntry.label(uri.algorithm())));
        fields.add(new Field("Digits", Integer.toString(uri.digits())));
        if (uri.type() == OtpType.TOTP) {
            fields.add(new Field("Period", uri.period() + " seconds"));
        } else {
            fields.add(new Field("Counter", Long.toString(uri.counter())));
        }
        int bits = uri.secret().bitLength();
        fields.add(new Field("Secret", bits + " bits" + (bits < 128 ? " (shorter than the recommended 128)" : "")));
        return new AccountPreview("Add this account to the vault?", fields);
    }

    public static AccountPreview of(EnrollmentUri uri) {
        List<Field> fields = new ArrayList<>();
        fields.add(new Field("Issuer", uri.issuer()));
        fields.add(new Field("Account", uri.user()));
        fields.add(new Field("Type", "Push approvals (Countersign)"));
        fields.add(new Field("Service", uri.activationUrl().getHost()
                + (uri.activationUrl().getPort() > 0 ? ":" + uri.activationUrl().getPort() : "")));
        fields.add(new Field("TLS pin", uri.pin().isPresent() ? "yes" : "no"));
        return new AccountPreview("Activate push approvals for this account on this computer?", fields);
    }
}
