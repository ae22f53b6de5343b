package org.countersign.push.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.countersign.protocol.Decision;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is a 4xx with {@code {"error","message"}} and changes nothing (ARCHITECTURE.md §8): never a 5xx,
 * never an HTML page, never a half-applied change.
 */
class BadInputTest {
    private static final String JSON = "application/json";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static TestDevice device;
    static String pendingSignIn;
    static String pendingNumber;
    static String userSession;
    static String enrollmentId;

    @BeforeAll
    static void aUserWithADeviceASessionAndAPendingSignIn() {
        fixture.flows().createUser(fixture.admin(), "quinn", "enforced");
        device = fixture.flows().registerDevice("quinn");
        userSession = fixture.flows().signInWithPush("quinn", device);
        enrollmentId = fixture.api().post("/api/v1/enrollments", new JsonObject(), userSession).string("enrollmentId");
        Api.Response pending = fixture.flows().signIn("quinn");
        pendingSignIn = pending.string("signInId");
        pendingNumber = pending.string("number");
    }

    @AfterAll
    static void closeTheDevice() {
        device.close();
    }

    /** One bad request: what is sent and the status it must get. */
    record BadRequest(String method, String path, String contentType, Supplier<byte[]> body, Supplier<String> token,
                      int status, String error) {
        @Override
        public String toString() {
            return method + " " + (path.length() > 80 ? path.substring(0, 80) + "…" : path);
        }
    }

    private static Arguments bad(String description, String method, String path, String contentType, String body,
                                 int status, String error) {
        return bad(description, method, path, contentType, () -> body == null ? null
                : body.getBytes(StandardCharsets.UTF_8), () -> null, status, error);
    }

    private static Arguments bad(String description, String method, String path, String contentType,
                                 Supplier<byte[]> body, Supplier<String> token, int status, String error) {
        return Arguments.of(description, new BadRequest(method, path, contentType, body, token, status, error));
    }

    private static String signIn(JsonObject fields) {
        return fields.encode();
    }

    private static JsonObject validSignIn() {
        return new JsonObject().put("username", "quinn").put("password", TestService.PASSWORD).put("app", "Payroll");
    }

    static Stream<Arguments> signInBodies() {
        String path = "/api/v1/sign-ins";
        return Stream.of(
                bad("malformed JSON", "POST", path, JSON, "{\"username\": \"quinn\",", 400, "invalid_json"),
                bad("a JSON array", "POST", path, JSON, "[1, 2, 3]", 400, "invalid_json"),
                bad("JSON null", "POST", path, JSON, "null", 400, "invalid_json"),
                bad("a JSON string", "POST", path, JSON, "\"quinn\"", 400, "invalid_json"),
                bad("an empty body", "POST", path, JSON, "", 400, "invalid_json"),
                bad("no body and no type", "POST", path, null, null, 400, "invalid_json"),
                bad("username as a number", "POST", path, JSON, signIn(validSignIn().put("username", 42)), 400,
                        "invalid_field"),
                bad("username as an object", "POST", path, JSON, signIn(validSignIn().put("username",
                        new JsonObject().put("$ne", ""))), 400, "invalid_field"),
                bad("rememberDevice as a string", "POST", path, JSON, signIn(validSignIn().put("rememberDevice",
                        "true")), 400, "invalid_field"),
                bad("a missing password", "POST", path, JSON, signIn(validSignIn().putNull("password")), 400,
                        "invalid_field"),
                bad("a missing app", "POST", path, JSON, "{\"username\":\"quinn\",\"password\":\"x\"}", 400,
                        "invalid_field"),
                bad("an empty object", "POST", path, JSON, "{}", 400, "invalid_field"),
                bad("a blank username", "POST", path, JSON, signIn(validSignIn().put("username", "   ")), 400,
                        "invalid_field"),
                bad("a username of 10,000 characters", "POST", path, JSON, signIn(validSignIn().put("username",
                        "q".repeat(10_000))), 400, "invalid_field"),
                bad("a password of 10,000 characters", "POST", path, JSON, signIn(validSignIn().put("password",
                        "p".repeat(10_000))), 400, "invalid_field"),
                bad("a NUL in the username", "POST", path, JSON, signIn(validSignIn().put("username", "qui\u0000nn")),
                        400, "invalid_field"),
                bad("an escape sequence in the app", "POST", path, JSON, signIn(validSignIn().put("app",
                        "\u001b[31mPayroll")), 400, "invalid_field"),
                bad("a newline in the location", "POST", path, JSON, signIn(validSignIn().put("location",
                        "Lisbon\nPT")), 400, "invalid_field"),
                bad("a right-to-left override in the username", "POST", path, JSON, signIn(validSignIn()
                        .put("username", "quinn\u202e")), 400, "invalid_field"),
                bad("text/plain", "POST", path, "text/plain", signIn(validSignIn()), 415, "unsupported_media_type"),
                bad("form encoding", "POST", path, "application/x-www-form-urlencoded",
                        "username=quinn&password=x&app=y", 415, "unsupported_media_type"),
                bad("a body over 64 KiB", "POST", path, JSON, signIn(validSignIn().put("app", "a".repeat(70_000))),
                        413, "body_too_large"),
                bad("JSON nested 5,000 deep", "POST", path, JSON, "[".repeat(5_000) + "]".repeat(5_000), 400,
                        "invalid_json"),
                bad("invalid UTF-8", "POST", path, JSON, () -> concat(
                        "{\"username\":\"".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF},
                        "\",\"password\":\"x\",\"app\":\"y\"}".getBytes(StandardCharsets.UTF_8)), () -> null, 400,
                        null));
    }

    static Stream<Arguments> signInIds() {
        String unknown = UUID.randomUUID().toString();
        JsonObject code = new JsonObject().put("code", "123456");
        return Stream.of(
                bad("an unknown sign-in", "GET", "/api/v1/sign-ins/" + unknown, null, null, 404, "not_found"),
                bad("a sign-in id that is no UUID", "GET", "/api/v1/sign-ins/not-a-uuid", null, null, 404,
                        "not_found"),
                bad("a sign-in id with a suffix", "GET", "/api/v1/sign-ins/" + unknown + "x", null, null, 404,
                        "not_found"),
                bad("a sign-in id of digits", "GET", "/api/v1/sign-ins/12345", null, null, 404, "not_found"),
                bad("a broken percent escape", "GET", "/api/v1/sign-ins/%zz", null, null, 400, null),
                bad("an encoded NUL", "GET", "/api/v1/sign-ins/%00", null, null, 404, null),
                bad("waitSeconds=abc", "GET", "/api/v1/sign-ins/PENDING?waitSeconds=abc", null, null, 400,
                        "invalid_field"),
                bad("waitSeconds=1000", "GET", "/api/v1/sign-ins/PENDING?waitSeconds=1000", null, null, 400,
                        "invalid_field"),
                bad("waitSeconds=61", "GET", "/api/v1/sign-ins/PENDING?waitSeconds=61", null, null, 400,
                        "invalid_field"),
                bad("waitSeconds=-1", "GET", "/api/v1/sign-ins/PENDING?waitSeconds=-1", null, null, 400,
                        "invalid_field"),
                bad("an empty waitSeconds", "GET", "/api/v1/sign-ins/PENDING?waitSeconds=", null, null, 400,
                        "invalid_field"),
                bad("a code for an unknown sign-in", "POST", "/api/v1/sign-ins/" + unknown + "/totp", JSON,
                        code.encode(), 404, "not_found"),
                bad("a code for a sign-in id that is no UUID", "POST", "/api/v1/sign-ins/nope/totp", JSON,
                        code.encode(), 404, "not_found"),
                bad("a code with letters", "POST", "/api/v1/sign-ins/PENDING/totp", JSON,
                        new JsonObject().put("code", "12a456").encode(), 400, "invalid_field"),
                bad("a code of five digits", "POST", "/api/v1/sign-ins/PENDING/totp", JSON,
                        new JsonObject().put("code", "12345").encode(), 400, "invalid_field"),
                bad("a code as a number", "POST", "/api/v1/sign-ins/PENDING/totp", JSON,
                        new JsonObject().put("code", 123456).encode(), 400, "invalid_field"),
                bad("rememberDevice as a string", "POST", "/api/v1/sign-ins/PENDING/totp", JSON,
                        new JsonObject().put("code", "123456").put("rememberDevice", "yes").encode(), 400,
                        "invalid_field"));
    }

    static Stream<Arguments> responses() {
        return Stream.of(
                bad("a response to an unknown sign-in", "POST", "/api/v1/sign-ins/UNKNOWN/response", JSON,
                        () -> null, () -> null, 404, "not_found"),
                bad("a response with decision maybe", "POST", "/api/v1/sign-ins/PENDING/response", JSON,
                        () -> responseBody().put("decision", "maybe").encode().getBytes(StandardCharsets.UTF_8),
                        () -> null, 400, "invalid_field"),
                bad("a response without a signature", "POST", "/api/v1/sign-ins/PENDING/response", JSON,
                        () -> without(responseBody(), "signature").encode().getBytes(StandardCharsets.UTF_8),
                        () -> null, 400, "invalid_field"),
                bad("a response with a number that is not digits", "POST", "/api/v1/sign-ins/PENDING/response", JSON,
                        () -> responseBody().put("number", "4x").encode().getBytes(StandardCharsets.UTF_8),
                        () -> null, 400, "invalid_field"),
                bad("a response with a number as an array", "POST", "/api/v1/sign-ins/PENDING/response", JSON,
                        () -> responseBody().put("number", new io.vertx.core.json.JsonArray().add(1)).encode()
                                .getBytes(StandardCharsets.UTF_8), () -> null, 400, "invalid_field"),
                bad("a response with a device id that is no UUID", "POST", "/api/v1/sign-ins/PENDING/response",
                        JSON, () -> responseBody().put("deviceId", "phone").encode().getBytes(StandardCharsets.UTF_8),
                        () -> null, 400, "invalid_field"),
                bad("a response that is malformed JSON", "POST", "/api/v1/sign-ins/PENDING/response", JSON,
                        () -> "{\"decision\":".getBytes(StandardCharsets.UTF_8), () -> null, 400, "invalid_json"),
                bad("a response as text/plain", "POST", "/api/v1/sign-ins/PENDING/response", "text/plain",
                        () -> responseBody().encode().getBytes(StandardCharsets.UTF_8), () -> null, 415,
                        "unsupported_media_type"));
    }

    static Stream<Arguments> enrollmentsAndDevices() {
        String unknown = UUID.randomUUID().toString();
        Supplier<String> user = () -> userSession;
        Supplier<String> adminToken = () -> fixture.admin();
        return Stream.of(
                bad("an unknown enrollment", "GET", "/api/v1/enrollments/" + unknown, null, () -> null, user, 404,
                        "not_found"),
                bad("an enrollment id that is no UUID", "GET", "/api/v1/enrollments/abc", null, () -> null, user,
                        404, "not_found"),
                bad("an enrollment without a session", "POST", "/api/v1/enrollments", JSON,
                        () -> "{}".getBytes(StandardCharsets.UTF_8), () -> null, 401, "unauthenticated"),
                bad("an activation that is malformed JSON", "POST", "/api/v1/enrollments/activate", JSON,
                        () -> "{\"code\"".getBytes(StandardCharsets.UTF_8), () -> null, 400, "invalid_json"),
                bad("an activation with an unknown code", "POST", "/api/v1/enrollments/activate", JSON,
                        () -> new JsonObject().put("code", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").put("publicKey",
                                device.signer().publicKey().base64Url()).put("deviceName", "x").put("platform", "y")
                                .encode().getBytes(StandardCharsets.UTF_8), () -> null, 400,
                        "invalid_activation_code"),
                bad("an activation as an array", "POST", "/api/v1/enrollments/activate", JSON,
                        () -> "[]".getBytes(StandardCharsets.UTF_8), () -> null, 400, "invalid_json"),
                bad("removing an unknown device", "DELETE", "/api/v1/admin/devices/" + unknown, null, () -> null,
                        adminToken, 404, "not_found"),
                bad("removing a device id that is no UUID", "DELETE", "/api/v1/admin/devices/42", null, () -> null,
                        adminToken, 404, "not_found"),
                bad("removing an unknown own device", "DELETE", "/api/v1/me/devices/" + unknown, null, () -> null,
                        user, 404, "not_found"),
                bad("the channel without an upgrade", "GET", "/api/v1/devices/DEVICE/channel", null, null, 400,
                        "websocket_required"),
                bad("the channel of an unknown device without an upgrade", "GET",
                        "/api/v1/devices/" + unknown + "/channel", null, null, 400, "websocket_required"),
                bad("the channel of a device id that is no UUID", "GET", "/api/v1/devices/xyz/channel", null, null,
                        404, "not_found"));
    }

    static Stream<Arguments> adminBodies() {
        Supplier<String> adminToken = () -> fixture.admin();
        return Stream.of(
                bad("a user with a malformed body", "POST", "/api/v1/admin/users", JSON,
                        () -> "{username".getBytes(StandardCharsets.UTF_8), adminToken, 400, "invalid_json"),
                bad("a user with a bad name", "POST", "/api/v1/admin/users", JSON,
                        () -> new JsonObject().put("username", "bad name").put("password", "long enough pw").encode()
                                .getBytes(StandardCharsets.UTF_8), adminToken, 400, "invalid_field"),
                bad("an MFA state that does not exist", "PATCH", "/api/v1/admin/users/quinn", JSON,
                        () -> new JsonObject().put("mfaState", "sometimes").encode().getBytes(StandardCharsets.UTF_8),
                        adminToken, 400, "invalid_field"),
                bad("an MFA state for an unknown user", "PATCH", "/api/v1/admin/users/nobody", JSON,
                        () -> new JsonObject().put("mfaState", "enforced").encode().getBytes(StandardCharsets.UTF_8),
                        adminToken, 404, "not_found"),
                bad("an MFA state as a number", "PATCH", "/api/v1/admin/users/quinn", JSON,
                        () -> new JsonObject().put("mfaState", 1).encode().getBytes(StandardCharsets.UTF_8),
                        adminToken, 400, "invalid_field"),
                bad("a list filter that does not exist", "GET", "/api/v1/admin/users?mfa=bogus", null, () -> null,
                        adminToken, 400, "invalid_field"),
                bad("the devices of an unknown user", "GET", "/api/v1/admin/users/nobody/devices", null, () -> null,
                        adminToken, 404, "not_found"),
                bad("a control character in a header", "GET", "/api/v1/admin/users", null, () -> null,
                        () -> "\u0001garbage", 400, "bad_request"),
                bad("a bearer token of 300 characters", "GET", "/api/v1/admin/users", null, () -> null,
                        () -> "t".repeat(300), 401, "unauthenticated"));
    }

    static Stream<Arguments> routes() {
        return Stream.of(
                bad("an unknown API route", "GET", "/api/v1/nothing-here", null, null, 404, "not_found"),
                bad("an unknown page", "GET", "/index.html", null, null, 404, "not_found"),
                bad("a path traversal", "GET", "/api/v1/../../etc/passwd", null, null, 404, null),
                bad("DELETE on the sign-ins", "DELETE", "/api/v1/sign-ins", null, null, 405, "method_not_allowed"),
                bad("PUT on a sign-in", "PUT", "/api/v1/sign-ins/PENDING", JSON, "{}", 405, "method_not_allowed"),
                bad("GET on the activation", "GET", "/api/v1/enrollments/activate", null, null, 404, null),
                bad("PUT on the admin users", "PUT", "/api/v1/admin/users", JSON, "{}", 405, "method_not_allowed"),
                bad("a path of 10,000 characters", "GET", "/api/v1/" + "a".repeat(10_000), null, null, 414,
                        "uri_too_long"),
                bad("headers of 20,000 characters", "GET", "/api/v1/admin/users", null, () -> null,
                        () -> "h".repeat(20_000), 431, "headers_too_large"));
    }

    @Nested
    class SignInBodies {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.countersign.push.http.BadInputTest#signInBodies")
        void areRefusedWithAJsonErrorAndChangeNothing(String description, BadRequest request) throws Exception {
            check(request);
        }
    }

    @Nested
    class SignInIds {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.countersign.push.http.BadInputTest#signInIds")
        void areRefusedWithAJsonErrorAndChangeNothing(String description, BadRequest request) throws Exception {
            check(request);
        }
    }

    @Nested
    class Responses {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.countersign.push.http.BadInputTest#responses")
        void areRefusedWithAJsonErrorAndChangeNothing(String description, BadRequest request) throws Exception {
            check(request);
        }
    }

    @Nested
    class EnrollmentsAndDevices {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.countersign.push.http.BadInputTest#enrollmentsAndDevices")
        void areRefusedWithAJsonErrorAndChangeNothing(String description, BadRequest request) throws Exception {
            check(request);
        }
    }

    @Nested
    class AdminRequests {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.countersign.push.http.BadInputTest#adminBodies")
        void areRefusedWithAJsonErrorAndChangeNothing(String description, BadRequest request) throws Exception {
            check(request);
        }
    }

    @Nested
    class Routes {
        @ParameterizedTest(name = "{0}")
        @MethodSource("org.countersign.push.http.BadInputTest#routes")
        void thatDoNotExistAnswerWithAJsonError(String description, BadRequest request) throws Exception {
            check(request);
        }
    }

    /** What came back: status, content type and body. */
    private record Answer(int status, String contentType, String body) {
    }

    private static void check(BadRequest request) throws Exception {
        String before = fixture.service().snapshot();
        Answer answer = send(request);
        String body = answer.body();

        assertThat(answer.status()).as("%s → %d %s", request, answer.status(), body).isEqualTo(request.status());
        assertThat(answer.contentType()).as("content type of %s: %s", request, body).startsWith("application/json");
        JsonObject json = new JsonObject(body);
        assertThat(json.getValue("error")).as(body).isInstanceOf(String.class);
        assertThat(json.getString("message")).as(body).isNotBlank();
        if (request.error() != null) {
            assertThat(json.getString("error")).as(body).isEqualTo(request.error());
        }
        assertThat(body).doesNotContainIgnoringCase("<html").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(fixture.service().snapshot()).as("state after %s", request).isEqualTo(before);
    }

    private static Answer send(BadRequest request) throws IOException, InterruptedException {
        String path = request.path().replace("PENDING", pendingSignIn).replace("UNKNOWN", UNKNOWN)
                .replace("DEVICE", device.deviceId());
        byte[] body = request.body() == null ? null : request.body().get();
        if (request.path().contains("UNKNOWN/response")) {
            body = device.answer(UNKNOWN, Decision.APPROVE, "42").toJson().encode().getBytes(StandardCharsets.UTF_8);
        }
        String token = request.token() == null ? null : request.token().get();
        if (path.contains("%zz") || path.length() > 4_000 || (token != null
                && (token.length() > 4_000 || token.chars().anyMatch(c -> c < 0x20)))) {
            // requests the JDK client refuses to send, or would send over HTTP/2 (h2c), whose codec answers
            // over-long headers itself
            return sendRaw(request.method(), path, token);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(fixture.api().baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                response.body());
    }

    /** Sends a body-less request over a plain socket, byte for byte, and reads the answer until the server closes. */
    private static Answer sendRaw(String method, String path, String token) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fixture.service().port)) {
            socket.setSoTimeout(10_000);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, split).split("\r\n");
            String contentType = "";
            for (String line : lines) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).trim();
                }
            }
            return new Answer(Integer.parseInt(lines[0].split(" ")[1]), contentType, text.substring(split + 4));
        }
    }

    private static final String UNKNOWN = UUID.randomUUID().toString();

    private static JsonObject responseBody() {
        return device.answer(pendingSignIn, Decision.APPROVE, pendingNumber).toJson();
    }

    private static JsonObject without(JsonObject body, String field) {
        JsonObject copy = body.copy();
        copy.remove(field);
        return copy;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
