package org.countersign.authenticator.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.FileInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.Decision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pin of the enrollment URI as the trust anchor for a service with a self-signed certificate: with the right pin
 * the https answer and the wss channel connect; with the pin of another key both are refused during the handshake,
 * before any request reaches the service, with a message that says the key does not match the pin; without a pin the
 * normal certificate authorities apply (and refuse a self-signed certificate).
 */
class PinnedTlsTest {
    private Vertx vertx;
    private HttpServer server;
    private static SelfSignedCertificate certificate;
    private static String pin;
    private static String otherKeysPin;
    private final AtomicInteger requests = new AtomicInteger();
    private PushAccount account;
    private ChannelClient channel;

    @BeforeAll
    static void makeKeys() throws Exception {
        certificate = SelfSignedCertificate.create("127.0.0.1");
        pin = pinOf(certificate);
        SelfSignedCertificate other = SelfSignedCertificate.create("127.0.0.1");
        otherKeysPin = pinOf(other);
        other.delete();
    }

    @AfterAll
    static void deleteKeys() {
        certificate.delete();
    }

    private static String pinOf(SelfSignedCertificate made) throws Exception {
        try (InputStream in = new FileInputStream(made.certificatePath())) {
            return TlsPin.of((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                        .setKeyCertOptions(certificate.keyCertOptions()))
                .requestHandler(request -> {
                    requests.incrementAndGet();
                    request.response().putHeader("Content-Type", "application/json")
                            .end(new JsonObject().put("signInId", "s-1").put("state", "approved").encode());
                })
                .webSocketHandler(ws -> {
                    requests.incrementAndGet();
                    ws.writeTextMessage(new JsonObject().put("type", "hello").put("nonce", "n-1").encode());
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int port = server.actualPort();
        account = TestAccounts.push("https://127.0.0.1:" + port, "wss://127.0.0.1:" + port
                + "/api/v1/devices/dev-42/channel");
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theRightPinTrustsTheSelfSignedServiceOverHttps() {
        var result = new ApprovalClient(PushHttp.newClient(Optional.of(pin))).respond(account, "s-1", Decision.DENY,
                null);
        assertThat(result.state()).isEqualTo("approved");
        assertThat(requests).hasValue(1);
    }

    @Test
    void thePinOfAnotherKeyIsRefusedBeforeAnyRequestIsSent() {
        ApprovalClient client = new ApprovalClient(PushHttp.newClient(Optional.of(otherKeysPin)));

        assertThatThrownBy(() -> client.respond(account, "s-1", Decision.DENY, null))
                .isInstanceOf(PushException.class)
                .hasMessageContaining("does not match the pin");
        assertThat(requests).hasValue(0);
    }

    @Test
    void withoutAPinTheNormalAuthoritiesApplyAndRefuseASelfSignedCertificate() {
        ApprovalClient client = new ApprovalClient(PushHttp.newClient(Optional.empty()));

        assertThatThrownBy(() -> client.respond(account, "s-1", Decision.DENY, null))
                .isInstanceOf(PushException.class).hasMessageContaining("Secure connection");
        assertThat(requests).hasValue(0);
    }

    @Test
    void theChannelConnectsOverWssWithTheRightPinAndIsRefusedWithAnother() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        ChannelListener listener = new ChannelListener() {
            @Override
            public void onRequest(PushAccount account, ApprovalRequest request) {
            }

            @Override
            public void onDisconnected(PushAccount account, String reason, Duration retryIn) {
                events.add("disconnected: " + reason);
            }
        };
        Backoff slow = new Backoff(Duration.ofSeconds(30), Duration.ofSeconds(60));
        channel = new ChannelClient(PushHttp.newClient(Optional.of(otherKeysPin)), account, listener, slow,
                new Random(), null);
        channel.start();
        assertThat(events.poll(20, TimeUnit.SECONDS)).contains("does not match the pin");
        assertThat(requests).hasValue(0);
        channel.close();

        channel = new ChannelClient(PushHttp.newClient(Optional.of(pin)), account, listener, slow, new Random(), null);
        channel.start();
        // the service's hello arrives, so the client answers with its login; the stub counts the connection
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (requests.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(requests).hasValue(1);
    }
}
