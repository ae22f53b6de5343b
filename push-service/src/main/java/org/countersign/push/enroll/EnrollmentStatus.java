package org.countersign.push.enroll;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.EnrollmentState;
import org.countersign.push.domain.SignIn;

/** What the registration page sees: the state, the new device and, while it is pending, the test sign-in. */
public record EnrollmentStatus(UUID enrollmentId, EnrollmentState state, Optional<UUID> deviceId,
                               Optional<SignIn> testSignIn) {
    public EnrollmentStatus {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(testSignIn, "testSignIn");
    }
}
