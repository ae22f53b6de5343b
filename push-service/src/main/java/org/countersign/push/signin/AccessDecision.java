package org.countersign.push.signin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link MfaPolicy#decide}: the block policy that refuses the sign-in, if any; otherwise whether MFA
 * is required and by which rule; and every rule that applies to the user, in evaluation order (for admins: a user
 * can never look "Disabled" while another rule prompts them).
 */
public record AccessDecision(Optional<String> blockedBy, MfaRequirement requirement, List<String> rules) {
    public AccessDecision {
        Objects.requireNonNull(blockedBy, "blockedBy");
        Objects.requireNonNull(requirement, "requirement");
        rules = List.copyOf(rules);
    }

    public boolean blocked() {
        return blockedBy.isPresent();
    }
}
