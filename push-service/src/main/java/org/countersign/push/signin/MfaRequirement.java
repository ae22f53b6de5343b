package org.countersign.push.signin;

import java.util.Objects;

/**
 * Whether a user must complete MFA at sign-in, and the rule that says so: {@code per_user},
 * {@code policy:<name>}, {@code security_defaults} or {@code none} (see {@link MfaPolicy} for the order).
 */
public record MfaRequirement(boolean required, String reason) {
    public static final MfaRequirement NONE = new MfaRequirement(false, "none");

    public MfaRequirement {
        Objects.requireNonNull(reason, "reason");
    }
}
