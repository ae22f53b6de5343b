package org.countersign.push.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.UUID;
import org.countersign.push.testing.ChannelProbe;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.countersign.push.tls.SelfSignedTls;
import org.countersign.push.tls.TlsIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A channel taken over behind TLS: Netty's TLS handler stays in front of the frames, in both directions. */
@Timeout(60)
class ChannelOverTlsTest {
    static final TlsIdentity identity = SelfSignedTls.generate("127.0.0.1", new SecureRandom());
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.startedBy("HTTPS", () -> TestService.withTls(identity));

    @Test
    void helloPingAndCloseGoThroughTls() throws Exception {
        assertThat(fixture.api().baseUrl()).startsWith("https://");
        try (ChannelProbe channel = ChannelProbe.open(fixture.api(), UUID.randomUUID().toString())) {
            assertThat(channel.nonce()).isNotBlank();
            assertThat(channel.ping("tls")).isEqualTo("tls");
            channel.send("not json");
            assertThat(channel.awaitClose(Duration.ofSeconds(10))).isEqualTo(4400);
        }
    }
}
