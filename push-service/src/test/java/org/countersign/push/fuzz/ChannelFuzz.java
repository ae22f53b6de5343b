package org.countersign.push.fuzz;

import io.vertx.core.json.JsonObject;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Login;
import org.countersign.protocol.SignedPayloads;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ChannelProbe;
import org.countersign.push.testing.TestDevice;

/**
 * Malformed traffic on the device channel: refused logins (garbage, another nonce, a random signature, binary and
 * oversized frames, unknown and malformed device ids) must end in a close with a protocol code, never 1011; after a
 * real login, every malformed frame must get an {@code error} frame and leave the channel usable.
 */
final class ChannelFuzz {
    /** Close codes a refused or broken connection may end with: the service's own, too big, protocol error. */
    private static final List<Integer> EXPECTED_CLOSES = List.of(4400, 4401, 4403, 4408, 1009, 1002, 1007);
    private static final int LOGIN_ATTEMPTS = 120;
    private static final int FRAMES_AFTER_LOGIN = 1_500;

    /** What the channel fuzz did and found. */
    record Result(int connections, int framesSent, Map<String, Integer> outcomes, List<String> findings) {
        @Override
        public String toString() {
            return connections + " connections, " + framesSent + " malformed frames; outcomes " + outcomes;
        }
    }

    private final Api api;
    private final TestDevice device;
    private final String pendingSignIn;
    private final Random random;
    private final Map<String, Integer> outcomes = new TreeMap<>();
    private final List<String> findings = new ArrayList<>();
    private int connections;
    private int frames;

    ChannelFuzz(Api api, TestDevice device, String pendingSignIn, long seed) {
        this.api = api;
        this.device = device;
        this.pendingSignIn = pendingSignIn;
        this.random = new Random(seed ^ 0x5DEECE66DL);
    }

    Result run() throws Exception {
        for (int i = 0; i < LOGIN_ATTEMPTS; i++) {
            refusedLogin(i);
        }
        ChannelProbe probe = loggedIn();
        for (int i = 0; i < FRAMES_AFTER_LOGIN; i++) {
            String frame = frameAfterLogin(i);
            frames++;
            if (frame == null) {
                probe.sendBinary(bytes(1 + random.nextInt(500)));
                expectClose(probe, "binary frame after login");
                probe = loggedIn();
            } else if (frame.length() > 16 * 1024) {
                probe.send(frame);
                expectClose(probe, "oversized frame after login");
                probe = loggedIn();
            } else {
                probe.send(MalformedRequests.asciiJson(frame));
                String answer = probe.nextText();
                while (answer.contains("\"approval.request\"")) {
                    answer = probe.nextText(); // pending requests are re-sent after each login
                }
                JsonObject json = new JsonObject(answer);
                String outcome = json.getString("type") + ":" + (json.containsKey("state") ? json.getValue("state")
                        : json.getValue("error", json.getValue("code")));
                count("after login → " + outcome);
                if (!"error".equals(json.getString("type"))) {
                    findings.add("a malformed frame was accepted: " + abbreviate(frame) + " → " + answer);
                }
            }
        }
        probe.close();
        return new Result(connections, frames, outcomes, findings);
    }

    private void refusedLogin(int attempt) throws Exception {
        String deviceId = switch (attempt % 4) {
            case 0 -> UUID.randomUUID().toString();
            case 1 -> pick("not-a-uuid", "%00", "%E2%80%AE", "x".repeat(500), "..", "%ED%A0%80");
            default -> device.deviceId();
        };
        ChannelProbe probe;
        try {
            probe = ChannelProbe.open(api, deviceId);
            connections++;
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                count("upgrade refused " + status);
                if (status >= 500) {
                    findings.add("upgrade of the channel of '" + deviceId + "' answered " + status);
                }
                return;
            }
            throw e;
        }
        String nonce = probe.nonce();
        frames++;
        // an oversized login is rare: the service takes until the login timeout to drop it
        int kind = attempt % 30 == 3 ? 3 : pick(0, 1, 2, 4, 5, 6, 7);
        switch (kind) {
            case 0 -> probe.send(new Login(device.signer().signBase64Url(
                    SignedPayloads.channelLogin(deviceId, nonce + "x"))).encode());
            case 1 -> probe.send(new Login(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(64)))
                    .encode());
            case 2 -> probe.sendBinary(bytes(1 + random.nextInt(100)));
            case 3 -> probe.send("{\"type\":\"login\",\"signature\":\"" + "A".repeat(20_000) + "\"}");
            case 4 -> probe.send(device.answer(pendingSignIn, Decision.APPROVE, "12").encode());
            case 5 -> probe.send(new Login(device.signer().signBase64Url(
                    SignedPayloads.channelLogin(UUID.randomUUID().toString(), nonce))).encode());
            default -> probe.send(garbageText());
        }
        expectClose(probe, "refused login on '" + abbreviate(deviceId) + "'");
    }

    private ChannelProbe loggedIn() {
        ChannelProbe probe = ChannelProbe.open(api, device.deviceId()).login(device.deviceId(), device.signer());
        connections++;
        JsonObject ready = new JsonObject(probe.nextText());
        if (!"ready".equals(ready.getString("type"))) {
            throw new AssertionError("login refused: " + ready);
        }
        return probe;
    }

    /** A malformed frame for a logged-in channel; null means a binary frame. */
    private String frameAfterLogin(int index) {
        String valid = device.answer(pendingSignIn, Decision.APPROVE, "42").encode();
        JsonObject response = new JsonObject(valid);
        return switch (index % 12) {
            case 0 -> garbageText();
            case 1 -> response.put("signature", Base64.getUrlEncoder().encodeToString(bytes(64))).encode();
            case 2 -> response.put("signInId", UUID.randomUUID().toString()).encode();
            case 3 -> response.put("signInId", pick("not-a-uuid", "", "\uD800", "../x", "x".repeat(5_000))).encode();
            case 4 -> response.put("decision", pick("APPROVE", "maybe", "", "approve\u0000")).encode();
            case 5 -> response.put("number", pick(true, -1, 1e300, 4.2, new JsonObject())).encode();
            case 6 -> response.put("deviceId", UUID.randomUUID().toString()).encode();
            case 7 -> response.put("signature", pick("!!!", "====", "", "AAAA")).encode();
            case 8 -> pick("{\"type\":\"login\",\"signature\":\"x\"}", "{\"type\":\"hello\",\"nonce\":\"n\"}",
                    "{\"type\":\"ready\"}", "{\"type\":\"approval.request\"}", "{\"type\":null}", "[]", "null");
            case 9 -> random.nextInt(10) == 0 ? null : "{\"type\":\"" + "\u202E".repeat(100) + "\"}";
            case 10 -> random.nextInt(10) == 0 ? "[".repeat(17_000) : "[".repeat(2_000) + "]".repeat(2_000);
            default -> ApprovalResponse.sign(pendingSignIn, device.deviceId(), Decision.APPROVE, "42",
                    org.countersign.protocol.DeviceSigner.generate(new java.security.SecureRandom())).encode();
        };
    }

    private void expectClose(ChannelProbe probe, String what) throws Exception {
        int code;
        try {
            code = probe.awaitClose(Duration.ofSeconds(10));
        } catch (java.util.concurrent.TimeoutException e) {
            findings.add(what + ": the channel stayed open");
            probe.close();
            return;
        }
        count("closed " + code);
        if (!EXPECTED_CLOSES.contains(code) && code != -1) {
            findings.add(what + ": closed with " + code);
        }
    }

    private String garbageText() {
        return switch (random.nextInt(6)) {
            case 0 -> new String(bytes(1 + random.nextInt(300)), StandardCharsets.ISO_8859_1);
            case 1 -> "{\"type\":\"approval.response\",";
            case 2 -> "{\"type\":42}";
            case 3 -> "\u0000\uD800\uDC00\u202E";
            case 4 -> "{\"type\":\"login\",\"signature\":{\"$ne\":null}}";
            default -> "";
        };
    }

    private byte[] bytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private void count(String outcome) {
        outcomes.merge(outcome, 1, Integer::sum);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
