package org.countersign.push.enroll;

import java.util.Objects;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.domain.Enrollment;

/** A new enrollment with its URI and QR image; both hold the activation code and are shown once. */
public record EnrollmentCreated(Enrollment enrollment, EnrollmentUri uri, String qrPngDataUrl) {
    public EnrollmentCreated {
        Objects.requireNonNull(enrollment, "enrollment");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(qrPngDataUrl, "qrPngDataUrl");
    }

    @Override
    public String toString() {
        return "EnrollmentCreated[" + enrollment.id() + ", code redacted]";
    }
}
