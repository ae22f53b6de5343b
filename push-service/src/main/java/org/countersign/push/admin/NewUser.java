package org.countersign.push.admin;

import java.util.Objects;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.Role;

/** A user to create, validated by the HTTP layer. */
public record NewUser(String username, String password, String displayName, Role role, MfaState mfaState) {
    public NewUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(mfaState, "mfaState");
    }

    @Override
    public String toString() {
        return "NewUser[" + username + ", " + role.wire() + ", password redacted]";
    }
}
