package org.countersign.push.rp;

import java.util.Objects;
import org.countersign.push.domain.RpClient;

/**
 * A client just created, with its secret: the only place the secret exists in plaintext, so it is shown once and
 * kept out of {@code toString}.
 */
public final class NewRpClient {
    private final RpClient client;
    private final String secret;

    NewRpClient(RpClient client, String secret) {
        this.client = Objects.requireNonNull(client);
        this.secret = Objects.requireNonNull(secret);
    }

    public RpClient client() {
        return client;
    }

    public String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "NewRpClient[" + client.clientId() + ", secret redacted]";
    }
}
