package org.countersign.push.admin;

import java.util.List;
import java.util.Optional;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.PolicyGrant;
import org.countersign.push.domain.PolicyState;
import org.countersign.push.domain.Role;

/**
 * The fields of a Conditional Access policy an admin sets, each already well-formed (the HTTP layer parses them);
 * absent fields keep their value (or the default, on creation).
 */
public record PolicyChange(Optional<String> name, Optional<PolicyState> state, Optional<List<String>> includeUsers,
                           Optional<List<Role>> includeRoles, Optional<List<String>> excludeUsers,
                           Optional<List<IpNetwork>> trustedNetworks, Optional<PolicyGrant> grant) {
}
