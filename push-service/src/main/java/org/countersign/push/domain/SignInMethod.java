package org.countersign.push.domain;

import java.util.Locale;

/** How a sign-in was decided: no MFA needed, a push approval, a TOTP code, or a remembered device. */
public enum SignInMethod {
    NONE, PUSH, TOTP, REMEMBERED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SignInMethod fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
