package org.countersign.authenticator.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ActivationRequest;
import org.countersign.protocol.ActivationResponse;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DevicePublicKey;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.SignedPayloads;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HttpCallsTest {
    private static final Instant NOW = Instant.parse("2025-03-04T05:06:07Z");
    private final List<String> paths = new ArrayList<>();
    private final List<String> bodies = new ArrayList<>();
    private final OtpSecret totpSecret = OtpSecret.random(new SecureRandom(), 20);
    private HttpServer server;
    private volatile int status = 200;
    private volatile String answer;
    private String base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        synchronized (this) {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        }
        byte[] body = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private EnrollmentUri enrollment() {
        return EnrollmentUri.of(URI.create(base + "/api/v1/enrollments/activate"), "one-time-code-123456",
                "Contoso", "alice", Optional.empty());
    }

    private EnrollmentClient enrollmentClient() {
        return new EnrollmentClient(PushHttp.newClient(Optional.empty()), new SecureRandom(),
                Clock.fixed(NOW, ZoneOffset.UTC), "alice-laptop", "linux-cli");
    }

    @Nested
    class Activation {
        @BeforeEach
        void serviceActivates() {
            answer = ActivationResponse.of("dev-7", "Contoso", "alice", "ws://127.0.0.1:9/api/v1/devices/dev-7/channel",
                    totpSecret, new Totp(HmacAlgorithm.SHA256, 6, 30)).toJson().encode();
        }

        @Test
        void postsTheCodeAndAFreshEd25519PublicKeyAndReturnsThePushAccount() {
            PushAccount account = enrollmentClient().activate(enrollment());

            assertThat(paths).containsExactly("POST /api/v1/enrollments/activate");
            ActivationRequest sent = ActivationRequest.fromJson(new JsonObject(bodies.get(0)));
            assertThat(sent.code()).isEqualTo("one-time-code-123456");
            assertThat(sent.keyAlg()).isEqualTo("Ed25519");
            assertThat(sent.deviceName()).isEqualTo("alice-laptop");
            assertThat(sent.platform()).isEqualTo("linux-cli");
            assertThat(DevicePublicKey.parse(sent.publicKey())).isEqualTo(account.signer().publicKey());

            assertThat(account.deviceId()).isEqualTo("dev-7");
            assertThat(account.issuer()).isEqualTo("Contoso");
            assertThat(account.username()).isEqualTo("alice");
            assertThat(account.serviceUrl()).isEqualTo(URI.create(base));
            assertThat(account.channelUrl()).isEqualTo(URI.create("ws://127.0.0.1:9/api/v1/devices/dev-7/channel"));
            assertThat(account.totpSecret()).isEqualTo(totpSecret);
            assertThat(account.totp()).isEqualTo(new Totp(HmacAlgorithm.SHA256, 6, 30));
            assertThat(account.activatedAt()).isEqualTo(NOW);
        }

        @Test
        void everyActivationUsesANewKey() {
            PushAccount first = enrollmentClient().activate(enrollment());
            PushAccount second = enrollmentClient().activate(enrollment());

            assertThat(first.signer().publicKey()).isNotEqualTo(second.signer().publicKey());
        }

        @Test
        void aRefusalShowsTheServicesMessage() {
            status = 410;
            answer = "{\"error\":\"enrollment_expired\",\"message\":\"The activation code has expired.\"}";

            assertThatThrownBy(() -> enrollmentClient().activate(enrollment()))
                    .isInstanceOfSatisfying(PushException.class, e -> {
                        assertThat(e.status()).isEqualTo(410);
                        assertThat(e.errorCode()).isEqualTo("enrollment_expired");
                    })
                    .hasMessage("The service refused the activation: The activation code has expired.");
        }

        @Test
        void anAnswerThatIsNotAnActivationIsAClearError() {
            answer = "{\"deviceId\":\"dev-7\"}";

            assertThatThrownBy(() -> enrollmentClient().activate(enrollment()))
                    .isInstanceOf(PushException.class)
                    .hasMessageContaining("activation answer is not valid");
        }

        @Test
        void anUnreachableServiceIsAClearError() throws IOException {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            EnrollmentUri nowhere = EnrollmentUri.of(
                    URI.create("http://127.0.0.1:" + closedPort + "/api/v1/enrollments/activate"), "code-1234567890",
                    "Contoso", "alice", Optional.empty());

            assertThatThrownBy(() -> enrollmentClient().activate(nowhere))
                    .isInstanceOf(PushException.class)
                    .hasMessageContaining("Cannot reach the service at http://127.0.0.1:" + closedPort);
        }
    }

    @Nested
    class ChannelUrls {
        @Test
        void aRelativeChannelUrlIsResolvedAgainstTheService() {
            assertThat(EnrollmentClient.channelUrl("/api/v1/devices/d/channel", URI.create("https://mfa.example")))
                    .isEqualTo(URI.create("wss://mfa.example/api/v1/devices/d/channel"));
        }

        @Test
        void anHttpsChannelUrlBecomesWss() {
            assertThat(EnrollmentClient.channelUrl("https://mfa.example:8443/c", URI.create("https://mfa.example")))
                    .isEqualTo(URI.create("wss://mfa.example:8443/c"));
        }

        @Test
        void anUnencryptedChannelFromAnHttpsServiceIsRefused() {
            assertThatThrownBy(() -> EnrollmentClient.channelUrl("ws://mfa.example/c",
                    URI.create("https://mfa.example")))
                    .isInstanceOf(PushException.class).hasMessageContaining("only wss://");
        }
    }

    @Nested
    class Approval {
        @Test
        void postsASignedResponseThatVerifiesWithTheDeviceKey() {
            answer = "{\"signInId\":\"s-1\",\"state\":\"approved\"}";
            PushAccount account = TestAccounts.push(base, "ws://127.0.0.1:9/c");

            ApprovalResult result = new ApprovalClient(PushHttp.newClient(Optional.empty()))
                    .respond(account, "s-1", Decision.APPROVE, "42");

            assertThat(result).isEqualTo(new ApprovalResult("s-1", "approved"));
            assertThat(paths).containsExactly("POST /api/v1/sign-ins/s-1/response");
            ApprovalResponse sent = ApprovalResponse.fromJson(new JsonObject(bodies.get(0)));
            assertThat(sent.deviceId()).isEqualTo("dev-42");
            assertThat(sent.decision()).isEqualTo(Decision.APPROVE);
            assertThat(sent.number()).isEqualTo("42");
            DevicePublicKey key = account.signer().publicKey();
            assertThat(key.verify(SignedPayloads.approval("s-1", "dev-42", Decision.APPROVE, "42"), sent.signature()))
                    .isTrue();
            assertThat(key.verify(SignedPayloads.approval("s-1", "dev-42", Decision.APPROVE, "43"), sent.signature()))
                    .isFalse();
        }

        @Test
        void aDenialCarriesNoNumber() {
            answer = "{\"signInId\":\"s-2\",\"state\":\"denied\"}";
            PushAccount account = TestAccounts.push(base, "ws://127.0.0.1:9/c");

            new ApprovalClient(PushHttp.newClient(Optional.empty())).respond(account, "s-2", Decision.FRAUD, "42");

            ApprovalResponse sent = ApprovalResponse.fromJson(new JsonObject(bodies.get(0)));
            assertThat(sent.number()).isNull();
            assertThat(account.signer().publicKey().verify(
                    SignedPayloads.approval("s-2", "dev-42", Decision.FRAUD, null), sent.signature())).isTrue();
        }

        @Test
        void aRefusalShowsTheServicesMessage() {
            status = 409;
            answer = "{\"error\":\"already_answered\",\"message\":\"This sign-in was already answered.\"}";
            PushAccount account = TestAccounts.push(base, "ws://127.0.0.1:9/c");

            assertThatThrownBy(() -> new ApprovalClient(PushHttp.newClient(Optional.empty()))
                    .respond(account, "s-3", Decision.DENY, null))
                    .isInstanceOf(PushException.class)
                    .hasMessage("The service refused the answer: This sign-in was already answered.");
        }
    }
}
