package org.countersign.push.signin;

import java.util.Objects;
import java.util.Optional;

/** A relying party's request to sign a person in (ARCHITECTURE.md §2.2), already validated by the HTTP layer. */
public record SignInRequest(String username, String password, String app, Optional<String> ip,
                            Optional<String> location, Optional<String> rememberToken, boolean rememberDevice) {
    public SignInRequest {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(rememberToken, "rememberToken");
    }

    @Override
    public String toString() {
        return "SignInRequest[" + username + ", app=" + app + ", password and tokens redacted]";
    }
}
