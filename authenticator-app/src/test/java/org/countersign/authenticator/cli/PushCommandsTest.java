package org.countersign.authenticator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.qrcode.QRCodeWriter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.protocol.ActivationRequest;
import org.countersign.protocol.ActivationResponse;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.DeviceAdded;
import org.countersign.protocol.DevicePublicKey;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.Login;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.SignInKind;
import org.countersign.protocol.SignedPayloads;
import org.countersign.protocol.Totp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** scan → listen → respond against a miniature push service on loopback (HTTP and the WebSocket channel). */
@org.junit.jupiter.api.Timeout(60)
class PushCommandsTest {
    @TempDir
    Path directory;
    private Vertx vertx;
    private HttpServer server;
    private String base;
    private volatile DevicePublicKey deviceKey;
    private final List<String> serviceLog = new CopyOnWriteArrayList<>();
    /** Frames the miniature service sends after "ready" and before its request. */
    private volatile List<String> framesBeforeRequest = List.of();
    /** The terminal's passphrase prompt; null: no terminal (input piped), so questions need --yes. */
    private CliEnvironment.PasswordPrompt prompt;

    record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void startService() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(this::http).webSocketHandler(this::channel)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterEach
    void stopService() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void http(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            if (request.path().equals("/api/v1/enrollments/activate")) {
                ActivationRequest activation = ActivationRequest.fromJson(json);
                deviceKey = DevicePublicKey.parse(activation.publicKey());
                serviceLog.add("activated " + activation.code() + " " + activation.platform());
                request.response().end(ActivationResponse.of("dev-1", "Contoso", "alice",
                        "ws://127.0.0.1:" + server.actualPort() + "/api/v1/devices/dev-1/channel",
                        OtpSecret.random(new SecureRandom(), 20), Totp.DEFAULT).toJson().encode());
            } else {
                ApprovalResponse response = ApprovalResponse.fromJson(json);
                boolean valid = deviceKey.verify(SignedPayloads.approval(response.signInId(), "dev-1",
                        response.decision(), response.number()), response.signature());
                serviceLog.add("http " + request.path() + " " + response.decision().wire() + " " + valid);
                request.response().end(new JsonObject().put("signInId", response.signInId())
                        .put("state", valid ? "denied" : "invalid").encode());
            }
        });
    }

    private void channel(ServerWebSocket ws) {
        ws.textMessageHandler(text -> {
            ChannelMessage message = ChannelMessage.parse(text);
            if (message instanceof Login login) {
                boolean valid = deviceKey.verify(SignedPayloads.channelLogin("dev-1", "n-1"), login.signature());
                serviceLog.add("login " + valid);
                ws.writeTextMessage("{\"type\":\"ready\"}");
                framesBeforeRequest.forEach(ws::writeTextMessage);
                Instant now = Instant.now();
                ws.writeTextMessage(new ApprovalRequest("s-9", SignInKind.REGISTRATION_TEST, "alice", "Security info",
                        "203.0.113.7", "Paris, FR", now, now.plusSeconds(90)).encode());
            } else if (message instanceof ApprovalResponse response) {
                boolean valid = deviceKey.verify(SignedPayloads.approval(response.signInId(), "dev-1",
                        response.decision(), response.number()), response.signature());
                serviceLog.add("channel " + response.decision().wire() + " " + response.number() + " " + valid);
                ws.writeTextMessage(new ApprovalResult(response.signInId(),
                        valid && "42".equals(response.number()) ? "approved" : "denied").encode());
            }
        });
        ws.writeTextMessage("{\"type\":\"hello\",\"nonce\":\"n-1\"}");
    }

    private Run run(String stdin, String... args) {
        CliEnvironment environment = CliEnvironment.builder()
                .environment(Map.of("AUTHENTICATOR_PASSPHRASE", "test passphrase"))
                .stdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .prompt(prompt)
                .clock(Clock.systemUTC())
                .kdfForNewVaults(KdfParameters.forTestsOnly())
                .build();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new AuthenticatorCli(environment));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "--vault";
        all[1] = directory.resolve("vault.cs").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return new Run(commandLine.execute(all), out.toString(), err.toString());
    }

    private Path enrollmentImage() throws Exception {
        return enrollmentImage(Optional.empty());
    }

    private Path enrollmentImage(Optional<String> pin) throws Exception {
        String uri = EnrollmentUri.of(URI.create(base + "/api/v1/enrollments/activate"), "code-0123456789abcdef",
                "Contoso", "alice", pin).format();
        Path image = directory.resolve("enroll.png");
        MatrixToImageWriter.writeToPath(new QRCodeWriter().encode(uri, BarcodeFormat.QR_CODE, 400, 400), "PNG", image);
        return image;
    }

    @Test
    void scanActivatesListenAnswersOverTheChannelAndRespondAnswersOverHttp() throws Exception {
        assertThat(run("", "init").exitCode()).isZero();

        Run scan = run("", "scan", enrollmentImage().toString(), "--device-name", "test-box", "--yes");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        assertThat(scan.out()).contains("issuer:   Contoso", "user:     alice", "deviceId: dev-1",
                "Waiting for the test notification: run `authenticator listen`");
        assertThat(serviceLog).containsExactly("activated code-0123456789abcdef linux-cli");
        assertThat(run("", "list").out()).containsPattern("Contoso:alice\\s+push\\s+device dev-1");

        Run listen = run("42\n", "listen", "--once");
        assertThat(listen.exitCode()).as(listen.err()).isZero();
        assertThat(listen.out()).contains("Test notification for Contoso:alice", "kind:     registration-test",
                "app:      Security info", "IP:       203.0.113.7", "location: Paris, FR",
                ListenCommand.PROMPT, "Sign-in s-9: approved");
        assertThat(serviceLog).contains("login true", "channel approve 42 true");

        Run respond = run("", "respond", "s-7", "--deny");
        assertThat(respond.exitCode()).as(respond.err()).isZero();
        assertThat(respond.out()).contains("Sign-in s-7: denied");
        assertThat(serviceLog).contains("http /api/v1/sign-ins/s-7/response deny true");
    }

    @Test
    void scanShowsWhatAnEnrollmentCodeWillActivateAndActivatesAfterYes() throws Exception {
        assertThat(run("", "init").exitCode()).isZero();
        prompt = text -> "test passphrase".toCharArray();

        Run scan = run("y\n", "scan", enrollmentImage().toString());

        assertThat(scan.exitCode()).as(scan.err()).isZero();
        assertThat(scan.out()).contains("About to activate push approvals on this computer:",
                "organisation: Contoso", "user:         alice",
                "service:      127.0.0.1:" + server.actualPort() + " (http)",
                "TLS pin:      none: plain http, allowed only to this computer",
                "Activate this push account? [y/N]", "Activated push account Contoso:alice")
                .doesNotContain("code-0123456789abcdef");
        assertThat(serviceLog).containsExactly("activated code-0123456789abcdef linux-cli");
    }

    @Test
    void answeringNoActivatesNothing() throws Exception {
        assertThat(run("", "init").exitCode()).isZero();
        prompt = text -> "test passphrase".toCharArray();
        String pin = "sha256/" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

        Run scan = run("n\n", "scan", enrollmentImage(Optional.of(pin)).toString());

        assertThat(scan.exitCode()).isEqualTo(1);
        assertThat(scan.out()).contains("TLS pin:      yes: only the server key in the code is trusted");
        assertThat(scan.err()).contains("Nothing was added.");
        assertThat(serviceLog).isEmpty();
        assertThat(run("", "list").out()).doesNotContain("Contoso");
    }

    @Test
    void withoutATerminalAnEnrollmentCodeIsActivatedOnlyWithYes() throws Exception {
        assertThat(run("", "init").exitCode()).isZero();

        Run refused = run("y\n", "scan", enrollmentImage().toString());

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("organisation: Contoso");
        assertThat(refused.err()).contains("no terminal", "--yes");
        assertThat(serviceLog).isEmpty();
        assertThat(run("", "scan", enrollmentImage().toString(), "--yes").exitCode()).isZero();
        assertThat(serviceLog).hasSize(1);
    }

    @Test
    void listenSaysClearlyWhenANewDeviceWasAddedToTheAccount() throws Exception {
        assertThat(run("", "init").exitCode()).isZero();
        assertThat(run("", "scan", enrollmentImage().toString(), "--yes").exitCode()).isZero();
        framesBeforeRequest = List.of(new DeviceAdded("Attacker phone", "android",
                Instant.parse("2026-11-23T09:00:00Z")).encode());

        Run listen = run("42\n", "listen", "--once");

        assertThat(listen.exitCode()).as(listen.err()).isZero();
        assertThat(listen.out()).contains("A new device was added to your account: Attacker phone (android) at "
                + "2026-11-23 09:00:00", "If this wasn't you, deny any sign-in requests, change your password and "
                + "ask your admin to remove the device.");
    }

    @Test
    void listenEndsCleanlyAtTheEndOfInput() {
        assertThat(run("", "init").exitCode()).isZero();
        assertThat(run("", "add", EnrollmentUri.of(URI.create(base + "/api/v1/enrollments/activate"),
                "code-0123456789abcdef", "Contoso", "alice", Optional.empty()).format()).exitCode()).isZero();

        Run listen = run("", "listen");

        assertThat(listen.exitCode()).as(listen.err()).isZero();
    }
}
