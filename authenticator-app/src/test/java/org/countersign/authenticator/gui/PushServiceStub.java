package org.countersign.authenticator.gui;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ActivationRequest;
import org.countersign.protocol.ActivationResponse;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DevicePublicKey;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.Login;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.SignInKind;
import org.countersign.protocol.SignedPayloads;
import org.countersign.protocol.Totp;

/**
 * A miniature push service on loopback that speaks the real protocol: activation, the channel (hello, signed login,
 * ready, approval requests) and answers over the channel or HTTP, every signature checked against the device key.
 * A request's verdict is {@code approved} only for a valid signature and the expected number.
 */
final class PushServiceStub implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, DevicePublicKey> devices = new ConcurrentHashMap<>();
    private final Map<String, ServerWebSocket> channels = new ConcurrentHashMap<>();
    private final Map<String, String> numbers = new ConcurrentHashMap<>();
    private final Map<String, ApprovalRequest> onLogin = new ConcurrentHashMap<>();
    final List<String> log = new CopyOnWriteArrayList<>();

    PushServiceStub() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::http).webSocketHandler(this::channel)
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** A push account whose device this service knows, with a fresh key. */
    PushAccount pushAccount(String deviceId, String issuer, String user) {
        SecureRandom random = new SecureRandom();
        DeviceSigner signer = DeviceSigner.generate(random);
        devices.put(deviceId, signer.publicKey());
        return new PushAccount(Account.newId(random), issuer, user, deviceId, URI.create(base()),
                URI.create("ws://127.0.0.1:" + server.actualPort() + "/api/v1/devices/" + deviceId + "/channel"),
                signer, OtpSecret.random(random, 20), Totp.DEFAULT, Optional.empty(), Instant.now());
    }

    /** An enrollment code that activates {@code deviceId} here. */
    String enrollmentUri(String deviceId) {
        return EnrollmentUri.of(URI.create(base() + "/api/v1/enrollments/activate?device=" + deviceId),
                "code-0123456789abcdef", "Contoso", "alice", Optional.empty()).format();
    }

    /** Sends this request when the device next logs in (or now, when it is logged in). */
    void request(String deviceId, ApprovalRequest request, String expectedNumber) {
        numbers.put(request.signInId(), expectedNumber);
        ServerWebSocket ws = channels.get(deviceId);
        if (ws != null) {
            vertx.runOnContext(v -> ws.writeTextMessage(request.encode()));
        } else {
            onLogin.put(deviceId, request);
        }
    }

    /** Sends a frame to the device's live channel (it must be logged in). */
    void frame(String deviceId, org.countersign.protocol.ChannelMessage message) {
        ServerWebSocket ws = channels.get(deviceId);
        vertx.runOnContext(v -> ws.writeTextMessage(message.encode()));
    }

    static ApprovalRequest signIn(String signInId, SignInKind kind, int secondsToLive) {
        Instant now = Instant.now();
        return new ApprovalRequest(signInId, kind, "alice", "Payroll portal", "203.0.113.7", "Paris, FR", now,
                now.plusSeconds(secondsToLive));
    }

    private void http(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            JsonObject json = body.toJsonObject();
            if (request.path().equals("/api/v1/enrollments/activate")) {
                String deviceId = request.getParam("device");
                ActivationRequest activation = ActivationRequest.fromJson(json);
                devices.put(deviceId, DevicePublicKey.parse(activation.publicKey()));
                log.add("activated " + deviceId + " " + activation.platform());
                request.response().end(ActivationResponse.of(deviceId, "Contoso", "alice",
                        "ws://127.0.0.1:" + server.actualPort() + "/api/v1/devices/" + deviceId + "/channel",
                        OtpSecret.random(new SecureRandom(), 20), Totp.DEFAULT).toJson().encode());
            } else {
                ApprovalResponse response = ApprovalResponse.fromJson(json);
                String state = verdict(response);
                log.add("http " + response.decision().wire() + " " + response.number() + " " + state);
                request.response().end(new ApprovalResult(response.signInId(), state).toJson().encode());
            }
        });
    }

    private void channel(ServerWebSocket ws) {
        String deviceId = ws.path().replaceAll(".*/devices/([^/]+)/channel$", "$1");
        String nonce = "nonce-" + System.nanoTime();
        ws.textMessageHandler(text -> {
            ChannelMessage message = ChannelMessage.parse(text);
            if (message instanceof Login login) {
                DevicePublicKey key = devices.get(deviceId);
                boolean valid = key != null && key.verify(SignedPayloads.channelLogin(deviceId, nonce), login.signature());
                log.add("login " + deviceId + " " + valid);
                if (!valid) {
                    ws.close((short) 1008, "invalid signature");
                    return;
                }
                channels.put(deviceId, ws);
                ws.writeTextMessage("{\"type\":\"ready\"}");
                ApprovalRequest waiting = onLogin.remove(deviceId);
                if (waiting != null) {
                    ws.writeTextMessage(waiting.encode());
                }
            } else if (message instanceof ApprovalResponse response) {
                String state = verdict(response);
                log.add("channel " + response.decision().wire() + " " + response.number() + " " + state);
                ws.writeTextMessage(new ApprovalResult(response.signInId(), state).encode());
            }
        });
        ws.closeHandler(v -> channels.remove(deviceId, ws));
        ws.writeTextMessage(new JsonObject().put("type", "hello").put("nonce", nonce).encode());
    }

    private String verdict(ApprovalResponse response) {
        DevicePublicKey key = devices.get(response.deviceId());
        boolean valid = key != null && key.verify(SignedPayloads.approval(response.signInId(), response.deviceId(),
                response.decision(), response.number()), response.signature());
        if (!valid) {
            return "invalid-signature";
        }
        return response.decision() == Decision.APPROVE && response.number() != null
                && response.number().equals(numbers.get(response.signInId())) ? "approved" : "denied";
    }

    boolean connected(String deviceId) {
        return channels.containsKey(deviceId);
    }

    void dropChannels() {
        channels.values().forEach(ws -> vertx.runOnContext(v -> ws.close((short) 1008, "test")));
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
