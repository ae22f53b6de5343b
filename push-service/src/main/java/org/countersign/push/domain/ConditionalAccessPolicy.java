package org.countersign.push.domain;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A named Conditional Access rule (ARCHITECTURE.md §4): whom it includes (everyone with {@code "*"}, usernames,
 * roles), whom it excludes (break-glass accounts), the trusted networks it does not apply to, and its grant.
 * Usernames compare regardless of case, as everywhere in the service.
 */
public record ConditionalAccessPolicy(UUID id, String name, PolicyState state, List<String> includeUsers,
                                      List<Role> includeRoles, List<String> excludeUsers,
                                      List<IpNetwork> trustedNetworks, PolicyGrant grant, Instant createdAt,
                                      Instant updatedAt) {
    public static final String EVERYONE = "*";

    public ConditionalAccessPolicy {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        includeUsers = List.copyOf(includeUsers);
        includeRoles = List.copyOf(includeRoles);
        excludeUsers = List.copyOf(excludeUsers);
        trustedNetworks = List.copyOf(trustedNetworks);
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean isEnabled() {
        return state == PolicyState.ENABLED;
    }

    /**
     * True when this policy, whatever its state, covers a sign-in of {@code user} from {@code ip}: the user is
     * included (by {@code "*"}, name or role), not excluded, and the sign-in does not come from a trusted network.
     * A sign-in without an address is never from a trusted network.
     */
    public boolean covers(User user, Optional<InetAddress> ip) {
        boolean included = includeUsers.stream().anyMatch(name -> name.equals(EVERYONE)
                || name.equalsIgnoreCase(user.username())) || includeRoles.contains(user.role());
        boolean excluded = excludeUsers.stream().anyMatch(name -> name.equalsIgnoreCase(user.username()));
        boolean trusted = ip.isPresent() && trustedNetworks.stream().anyMatch(network -> network.contains(ip.get()));
        return included && !excluded && !trusted;
    }

    /** The rule name this policy gives in explanations and sign-in reasons: {@code policy:<name>}. */
    public String ruleName() {
        return "policy:" + name;
    }
}
