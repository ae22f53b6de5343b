package org.countersign.authenticator.push;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;

final class TestAccounts {
    private TestAccounts() {
    }

    static PushAccount push(String serviceUrl, String channelUrl) {
        SecureRandom random = new SecureRandom();
        return new PushAccount("acc-" + random.nextInt(1_000_000), "Contoso", "alice", "dev-42",
                URI.create(serviceUrl), URI.create(channelUrl), DeviceSigner.generate(random),
                OtpSecret.random(random, 20), Totp.DEFAULT, Optional.empty(), Instant.now());
    }
}
