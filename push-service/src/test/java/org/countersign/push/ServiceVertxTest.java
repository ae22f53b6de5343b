package org.countersign.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ServiceVertxTest {

    @Test
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void onLinuxTheServiceRunsOnTheNativeEpollTransport() throws Exception {
        Vertx vertx = ServiceVertx.create();
        try {
            assertThat(vertx.isNativeTransportEnabled())
                    .as("netty-transport-native-epoll (linux-x86_64) is on the class path and loads")
                    .isTrue();
            assertThat(ServiceVertx.transport(vertx)).isEqualTo("epoll (native)");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
