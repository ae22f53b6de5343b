package org.countersign.push.signin;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What one sign-in call carries from its transaction to the work after the commit: the client address its failures
 * count against, the sign-ins its challenge superseded, the user's verified devices read with the row locked, and
 * whether a push may be sent.
 */
final class ChallengeAttempt {
    final Optional<String> address;
    List<UUID> superseded = List.of();
    List<UUID> devices = List.of();
    boolean push;

    ChallengeAttempt(Optional<String> address) {
        this.address = address;
    }
}
