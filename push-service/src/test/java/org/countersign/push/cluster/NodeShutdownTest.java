package org.countersign.push.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A node that goes away tells its devices "going away" (1001), the close after which apps reconnect, through the
 * load balancer, to another node. A normal closure (1000) would make them stop for good.
 */
@Timeout(60)
class NodeShutdownTest {
    @Test
    void aNodeWhoseVertxStopsClosesItsChannelsWithGoingAway() throws Exception {
        TestService node = TestService.start();
        try {
            TestDevice phone = node.flows().enforcedUserWithDevice(node.flows().adminToken(), "gil");

            node.crash();

            assertThat(phone.awaitClose(Duration.ofSeconds(10))).isEqualTo(1001);
        } catch (Throwable e) {
            node.close();
            throw e;
        }
    }
}
