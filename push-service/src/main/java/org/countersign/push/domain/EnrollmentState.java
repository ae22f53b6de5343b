package org.countersign.push.domain;

import java.util.Locale;

/** Life of an enrollment: waiting for the app, activated by it, verified by the test notification, or expired. */
public enum EnrollmentState {
    WAITING, ACTIVATED, VERIFIED, EXPIRED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EnrollmentState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
