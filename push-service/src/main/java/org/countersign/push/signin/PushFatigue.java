package org.countersign.push.signin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.countersign.protocol.ApprovalResult;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.SignInState;

/**
 * Guards people against push fatigue (MFA bombing): at most one pending push per user (a new challenge supersedes
 * the older ones in its own transaction), at most {@link org.countersign.push.domain.Settings#pushLimitPer10Minutes()} pushes per user in a
 * rolling 10 minutes, and no pushes at all after a fraud report until an admin clears it. Over a limit the sign-in
 * is still created, for a TOTP code, but nothing is pushed. The rules are applied in the challenge's transaction,
 * with the user's row locked, by {@link org.countersign.push.store.ChallengeStore#create}; this class tells the
 * devices and waiters after the commit.
 */
public final class PushFatigue {
    public static final Duration PUSH_LIMIT_WINDOW = Duration.ofMinutes(10);
    public static final String PUSH_LIMIT = "push_limit";
    public static final String FRAUD_REPORTED = "fraud_reported";
    /** Not a suppression: a challenge that was only ever meant for a code. */
    public static final String CODE_ONLY = "code_only";

    private final PushDelivery push;
    private final SignInWaiters waiters;

    public PushFatigue(PushDelivery push, SignInWaiters waiters) {
        this.push = Objects.requireNonNull(push);
        this.waiters = Objects.requireNonNull(waiters);
    }

    /**
     * After the commit: tells this node's waiters and the user's verified devices (read with the user's row locked
     * in the challenge's transaction) that the superseded sign-ins ended, before the new challenge is pushed.
     */
    public void announce(List<UUID> superseded, List<UUID> verifiedDevices) {
        if (superseded.isEmpty()) {
            return;
        }
        superseded.forEach(waiters::wake);
        for (UUID device : verifiedDevices) {
            for (UUID id : superseded) {
                push.send(device, new ApprovalResult(id.toString(), SignInState.EXPIRED.wire(),
                        DenialReason.SUPERSEDED.wire()));
            }
        }
    }
}
