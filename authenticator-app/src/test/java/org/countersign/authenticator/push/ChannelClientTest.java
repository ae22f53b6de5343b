package org.countersign.authenticator.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Login;
import org.countersign.protocol.SignInKind;
import org.countersign.protocol.SignedPayloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChannelClientTest {
    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(200));
    private static final ApprovalRequest REQUEST = new ApprovalRequest("s-9", SignInKind.SIGN_IN, "alice", "Payroll",
            "203.0.113.7", "Paris, FR", Instant.parse("2025-01-01T10:00:00Z"), Instant.parse("2025-01-01T10:01:30Z"));

    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger connections = new AtomicInteger();
    private final BlockingQueue<String> serverLog = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> clientLog = new LinkedBlockingQueue<>();
    private volatile Consumer<ServerWebSocket> afterReady = ws -> { };
    private PushAccount account;
    private ChannelClient client;

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().webSocketHandler(this::channel).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        account = TestAccounts.push("http://127.0.0.1:" + server.actualPort(),
                "ws://127.0.0.1:" + server.actualPort() + "/api/v1/devices/dev-42/channel");
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A miniature of the service's channel (§3.3): hello, verify login, ready, then the test's script. */
    private void channel(ServerWebSocket ws) {
        int number = connections.incrementAndGet();
        String nonce = "nonce-" + number;
        serverLog.add("connected " + ws.path());
        ws.textMessageHandler(text -> {
            ChannelMessage message = ChannelMessage.parse(text);
            if (message instanceof Login login) {
                boolean valid = account.signer().publicKey()
                        .verify(SignedPayloads.channelLogin(account.deviceId(), nonce), login.signature());
                serverLog.add("login " + (valid ? "valid" : "INVALID"));
                if (!valid) {
                    ws.close((short) 1008, "invalid signature");
                    return;
                }
                ws.writeTextMessage(new JsonObject().put("type", "ready").encode());
                afterReady.accept(ws);
            } else if (message instanceof ApprovalResponse response) {
                boolean valid = account.signer().publicKey().verify(SignedPayloads.approval(response.signInId(),
                        account.deviceId(), response.decision(), response.number()), response.signature());
                serverLog.add("response " + response.decision().wire() + " " + response.number() + " "
                        + (valid ? "valid" : "INVALID"));
                ws.writeTextMessage(new ApprovalResult(response.signInId(), "approved").encode());
            }
        });
        ws.writeTextMessage(new JsonObject().put("type", "hello").put("nonce", nonce).encode());
    }

    private void sendFragmented(ServerWebSocket ws, String text) {
        int half = text.length() / 2;
        ws.writeFrame(WebSocketFrame.textFrame(text.substring(0, half), false));
        ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(text.substring(half)), true));
    }

    private ChannelClient start() {
        client = new ChannelClient(PushHttp.newClient(Optional.empty()), account, new ChannelListener() {
            @Override
            public void onRequest(PushAccount pushAccount, ApprovalRequest request) {
                clientLog.add("request " + request.signInId() + " " + request.app());
            }

            @Override
            public void onReady(PushAccount pushAccount) {
                clientLog.add("ready");
            }

            @Override
            public void onResult(PushAccount pushAccount, ApprovalResult result) {
                clientLog.add("result " + result.signInId() + " " + result.state());
            }

            @Override
            public void onDisconnected(PushAccount pushAccount, String reason, Duration retryIn) {
                clientLog.add("disconnected");
            }

            @Override
            public void onClosedByService(PushAccount pushAccount, int code, String reason, boolean reconnecting) {
                clientLog.add("closed " + code + " " + reason + " " + reconnecting);
            }
        }, FAST, new Random(1), null);
        client.start();
        return client;
    }

    private static String next(BlockingQueue<String> log) throws InterruptedException {
        String entry = log.poll(10, TimeUnit.SECONDS);
        assertThat(entry).as("an event within 10 s").isNotNull();
        return entry;
    }

    @Nested
    class LoginAndRequests {
        @Test
        void logsInWithAValidSignatureAndDeliversAFragmentedRequest() throws Exception {
            afterReady = ws -> sendFragmented(ws, REQUEST.encode());

            start();

            assertThat(next(serverLog)).isEqualTo("connected /api/v1/devices/dev-42/channel");
            assertThat(next(serverLog)).isEqualTo("login valid");
            assertThat(next(clientLog)).isEqualTo("ready");
            assertThat(next(clientLog)).isEqualTo("request s-9 Payroll");
            assertThat(client.isReady()).isTrue();
        }

        @Test
        void sendsASignedResponseAndReceivesTheResult() throws Exception {
            afterReady = ws -> ws.writeTextMessage(REQUEST.encode());
            start();
            assertThat(next(clientLog)).isEqualTo("ready");
            assertThat(next(clientLog)).isEqualTo("request s-9 Payroll");

            ApprovalResponse sent = client.respond("s-9", Decision.APPROVE, "42").get(10, TimeUnit.SECONDS);

            assertThat(sent.number()).isEqualTo("42");
            assertThat(next(serverLog)).isEqualTo("connected /api/v1/devices/dev-42/channel");
            assertThat(next(serverLog)).isEqualTo("login valid");
            assertThat(next(serverLog)).isEqualTo("response approve 42 valid");
            assertThat(next(clientLog)).isEqualTo("result s-9 approved");
        }

        @Test
        void answeringBeforeTheChannelIsReadyFailsSoTheCallerCanUseHttp() {
            PushAccount nowhere = TestAccounts.push("http://127.0.0.1:9", "ws://127.0.0.1:9/c");
            ChannelClient idle = new ChannelClient(PushHttp.newClient(Optional.empty()), nowhere,
                    (a, r) -> { });

            assertThat(idle.respond("s-1", Decision.DENY, null)).isCompletedExceptionally();
            idle.close();
        }
    }

    @Nested
    class Reconnecting {
        @Test
        void reconnectsAndLogsInAgainAfterTheConnectionDrops() throws Exception {
            AtomicInteger readies = new AtomicInteger();
            afterReady = ws -> {
                if (readies.incrementAndGet() == 1) {
                    ws.close((short) 1011, "server restarting");
                }
            };

            start();

            assertThat(next(clientLog)).isEqualTo("ready");
            assertThat(next(clientLog)).isEqualTo("closed 1011 server restarting true");
            assertThat(next(clientLog)).isEqualTo("disconnected");
            assertThat(next(clientLog)).isEqualTo("ready");
            assertThat(connections.get()).isEqualTo(2);
        }

        @Test
        void aCloseForARemovedDeviceIsReportedAndNotRetried() throws Exception {
            afterReady = ws -> ws.close((short) 1008, "device removed");

            start();

            assertThat(next(clientLog)).isEqualTo("ready");
            assertThat(next(clientLog)).isEqualTo("closed 1008 device removed false");
            assertThat(clientLog.poll(500, TimeUnit.MILLISECONDS)).isNull();
            assertThat(connections.get()).isEqualTo(1);
        }

        @Test
        void anUnreachableServiceIsRetriedWithBackoff() throws Exception {
            int port = server.actualPort();
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            account = TestAccounts.push("http://127.0.0.1:" + port, "ws://127.0.0.1:" + port + "/c");

            start();

            assertThat(next(clientLog)).isEqualTo("disconnected");
            assertThat(next(clientLog)).isEqualTo("disconnected");
        }

        @Test
        void theBackoffGrowsWithJitterUpToTheCap() {
            Random random = new Random(7);
            Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

            for (int attempt = 0; attempt < 40; attempt++) {
                long ceiling = Math.min(30_000, 1000L << Math.min(attempt, 20));
                Duration delay = backoff.delay(attempt, random);
                assertThat(delay.toMillis()).isBetween(ceiling / 2, ceiling);
            }
        }
    }
}
