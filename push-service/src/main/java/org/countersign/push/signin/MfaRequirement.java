package org.countersign.push.signin;

import java.util.Objects;

/**
 * Whether a user must complete MFA at sign-in, and the rule that says so: {@code per_user},
 * {@code security_defaults} or {@code none} (later: {@code policy:<name>}).
 */
public record MfaRequirement(boolean required, String reason) {
    public static final MfaRequirement NONE = new MfaRequirement(false, "none");

    public MfaRequirement {
        Objects.requireNonNull(reason, "reason");
    }
}
