package org.countersign.push.signin;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.PolicyGrant;
import org.countersign.push.domain.Settings;
import org.countersign.push.domain.User;

/**
 * Decides who may sign in and who must use MFA (ARCHITECTURE.md §4), in this order:
 * <ol>
 *   <li>an enabled Conditional Access policy with grant {@code block} that covers the sign-in blocks it (the first
 *       by name is named); the caller checks this only after the password, so a wrong password learns nothing;</li>
 *   <li>a per-user state of {@code enabled} or {@code enforced} requires MFA: reason {@code per_user};</li>
 *   <li>an enabled policy with grant {@code require_mfa} that covers the sign-in requires MFA: reason
 *       {@code policy:<name>}, the first by name (case-insensitive);</li>
 *   <li>security defaults require MFA of everyone: reason {@code security_defaults};</li>
 *   <li>otherwise no MFA: reason {@code none}.</li>
 * </ol>
 * A policy covers a sign-in when it includes the user ({@code "*"}, the username or the user's role), does not
 * exclude them, and the sign-in's address is not in one of its trusted networks; a sign-in without an address (and
 * the admin view, which shows a sign-in from an unknown network) is never in a trusted network. Under security
 * defaults alone a user who has not registered gets {@link #REGISTRATION_GRACE} from the first sign-in that asked,
 * during which registration can be skipped.
 */
public final class MfaPolicy {
    public static final Duration REGISTRATION_GRACE = Duration.ofDays(14);

    /** The requirement without any Conditional Access policy, for a sign-in from an unknown network. */
    public MfaRequirement evaluate(User user, Settings settings) {
        return decide(user, settings, List.of(), Optional.empty()).requirement();
    }

    /** Evaluates a sign-in of {@code user} from {@code ip} in the order of this class's description. */
    public AccessDecision decide(User user, Settings settings, List<ConditionalAccessPolicy> policies,
                                 Optional<InetAddress> ip) {
        List<ConditionalAccessPolicy> covering = policies.stream()
                .filter(policy -> policy.isEnabled() && policy.covers(user, ip))
                .sorted(Comparator.comparing((ConditionalAccessPolicy policy) -> policy.name().toLowerCase(Locale.ROOT))
                        .thenComparing(ConditionalAccessPolicy::name))
                .toList();
        List<String> rules = new ArrayList<>();
        Optional<String> blockedBy = Optional.empty();
        for (ConditionalAccessPolicy policy : covering) {
            if (policy.grant() == PolicyGrant.BLOCK) {
                rules.add(policy.ruleName());
                blockedBy = blockedBy.or(() -> Optional.of(policy.name()));
            }
        }
        MfaRequirement requirement = MfaRequirement.NONE;
        if (user.mfaState() != MfaState.DISABLED) {
            rules.add("per_user");
            requirement = new MfaRequirement(true, "per_user");
        }
        for (ConditionalAccessPolicy policy : covering) {
            if (policy.grant() == PolicyGrant.REQUIRE_MFA) {
                rules.add(policy.ruleName());
                if (!requirement.required()) {
                    requirement = new MfaRequirement(true, policy.ruleName());
                }
            }
        }
        if (settings.securityDefaults()) {
            rules.add("security_defaults");
            if (!requirement.required()) {
                requirement = new MfaRequirement(true, "security_defaults");
            }
        }
        return new AccessDecision(blockedBy, requirement, rules);
    }

    /** True when registration may still be skipped: only security defaults ask, and the grace is not over. */
    public boolean registrationSkippable(MfaRequirement requirement, Instant graceStart, Instant now) {
        return "security_defaults".equals(requirement.reason()) && now.isBefore(graceStart.plus(REGISTRATION_GRACE));
    }

    /** Whole days of grace left at {@code now} (rounded up), never negative. */
    public int graceDaysLeft(Instant graceStart, Instant now) {
        Duration left = Duration.between(now, graceStart.plus(REGISTRATION_GRACE));
        if (left.isNegative() || left.isZero()) {
            return 0;
        }
        long days = left.toDays();
        return (int) (left.equals(Duration.ofDays(days)) ? days : days + 1);
    }
}
