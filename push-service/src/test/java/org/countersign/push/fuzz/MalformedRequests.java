package org.countersign.push.fuzz;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Generates malformed requests from a seed: every request is wrong by construction (broken or mistyped JSON,
 * strings with characters no field accepts, oversized or deeply nested bodies, wrong content types, unknown or
 * garbage ids, broken credentials), so none of them may change anything, and none may get a 5xx.
 *
 * <p>Real sessions go only to endpoints that read a body or only read: an endpoint that acts on a bare POST (sign
 * out, start an enrollment) would rightly act on it, so it gets broken credentials only.
 */
final class MalformedRequests {
    /** Endpoints that change state on a POST whatever its body; they are fuzzed without a valid session. */
    static final Set<String> ACTS_WITHOUT_BODY = Set.of("POST /api/v1/enrollments",
            "POST /api/v1/me/sign-out-everywhere", "POST /web/sign-out");

    /** Field names of the API's bodies; the fuzzer gives them values of the wrong type or with refused text. */
    private static final String[] FIELDS = {"username", "password", "app", "ip", "location", "rememberToken",
            "rememberDevice", "code", "signInId", "deviceId", "decision", "number", "signature", "publicKey", "keyAlg",
            "deviceName", "platform", "mfaState", "displayName", "role", "action", "name", "securityDefaults",
            "appPasswordsAllowed", "rememberMfaDays", "state", "grant", "includeUsers", "excludeUsers", "trustedCidrs",
            "ratePerSecond", "factor", "type", "nonce", "pushLimitPer10Minutes", "numberDigits", "nistProfile"};
    /** Characters no field accepts (control and format characters, lone surrogates). */
    private static final String[] REFUSED = {"\u0000", "\u202E", "\u200B", "\uFEFF", "\u001B[31m", "\uD800", "\uDC00",
            "\r\n", "\u0007", "\u2066"};
    /** Odd but legal text mixed into the refused strings. */
    private static final String[] ODD = {"admin", "quinn", "' OR 1=1 --", "\"; DROP TABLE users; --", "🦄🔥",
            "e\u0301\u0301\u0301", "مرحبا", "שלום", "𝕬𝖉𝖒𝖎𝖓", "../../etc/passwd", "%00", "${jndi:ldap://x}",
            "<script>alert(1)</script>", "null", "true", "12", "AAAA", "!!!!", "====", "A".repeat(300), "\\u0000"};
    /** Path segments in place of an id: unknown, malformed, encoded oddities, traversal, overlong. */
    private static final String[] IDS = {"00000000-0000-0000-0000-000000000000", "not-an-id", "-1", "0",
            "99999999999999999999999", "..", "%2e%2e", "%00", "%E2%80%AE", "%ED%A0%80", "%C0%AF", "%FF%FE",
            "a%2Fb", "%20", "null", "undefined", "x".repeat(2_000), "%F0%9F%A6%84", "admin%00", "'%20OR%201=1"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
            "application/json; charset=utf-16", "", "*/*", null};
    private static final String[] QUERY_NAMES = {"waitSeconds", "mfa", "user", "type", "from", "to", "format",
            "limit", "id", "next"};
    private static final String[] QUERY_VALUES = {"-1", "abc", "1e9", "99999999999", "%00", "%E2%80%AE", "NaN",
            "2026-13-45", "xml", "", "%25ZZ", "0x10", "%ED%A0%80", "%5B%5D", "enabled%00"};

    private final Random random;
    private final Credentials credentials;

    MalformedRequests(long seed, Credentials credentials) {
        this.random = new Random(seed);
        this.credentials = credentials;
    }

    /** {@code count} requests spread evenly over {@code endpoints}, in a reproducible order. */
    List<FuzzRequest> generate(List<Endpoint> endpoints, int count) {
        List<FuzzRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(request(endpoints.get(i % endpoints.size())));
        }
        return requests;
    }

    private FuzzRequest request(Endpoint endpoint) {
        String method = random.nextInt(20) == 0 ? pick("PUT", "DELETE", "PATCH", "POST", "GET") : endpoint.method();
        Credentials.Kind kind = credentials(endpoint);
        Map<String, String> headers = new LinkedHashMap<>();
        credentials.addTo(kind, headers, asciiGarbage());
        boolean withBody = !method.equals("GET") && !method.equals("DELETE") || random.nextInt(10) == 0;
        byte[] body = withBody ? body() : null;
        String contentType = body == null ? null : random.nextInt(3) == 0 ? pick(CONTENT_TYPES) : "application/json";
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        return new FuzzRequest(endpoint, method, path(endpoint) + query(), headers, body, kind);
    }

    private Credentials.Kind credentials(Endpoint endpoint) {
        Credentials.Kind kind = pick(Credentials.Kind.values());
        if (Credentials.isValid(kind) && ACTS_WITHOUT_BODY.contains(endpoint.toString())) {
            return Credentials.Kind.GARBAGE_BEARER;
        }
        return kind;
    }

    private String path(Endpoint endpoint) {
        StringBuilder path = new StringBuilder();
        for (String segment : endpoint.path().split("/", -1)) {
            if (path.length() > 0 || !segment.isEmpty()) {
                path.append('/');
            }
            if (segment.startsWith(":") || segment.equals("*")) {
                path.append(random.nextBoolean() ? UUID.randomUUID().toString() : pick(IDS));
            } else {
                path.append(segment);
            }
        }
        return path.length() == 0 ? "/" : path.toString().replace("//", "/");
    }

    private String query() {
        if (random.nextInt(3) != 0) {
            return "";
        }
        StringBuilder query = new StringBuilder("?");
        for (int i = random.nextInt(4); i >= 0; i--) {
            query.append(pick(QUERY_NAMES)).append('=').append(pick(QUERY_VALUES)).append('&');
        }
        return query.substring(0, query.length() - 1);
    }

    private byte[] body() {
        return switch (random.nextInt(12)) {
            case 0 -> brokenJson().getBytes(StandardCharsets.UTF_8);
            case 1 -> pick("[]", "[1,2,3]", "42", "-0.0e999", "\"text\"", "null", "true", "\"\\uD800\"", "1e999999")
                    .getBytes(StandardCharsets.UTF_8);
            case 2 -> nested();
            case 3 -> oversized();
            case 4 -> randomBytes();
            case 5, 6, 7 -> asciiJson(mistyped().encode()).getBytes(StandardCharsets.UTF_8);
            default -> asciiJson(refusedText().encode()).getBytes(StandardCharsets.UTF_8);
        };
    }

    private String brokenJson() {
        String valid = mistyped().put("username", "quinn").encode();
        return switch (random.nextInt(6)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length()));
            case 1 -> valid.replace('"', '\'');
            case 2 -> valid + ",}";
            case 3 -> "{\"username\":\"quinn\",,}";
            case 4 -> "{\"a\":\"\\uZZZZ\"}";
            default -> "\uFEFF" + valid.replace(":", "=");
        };
    }

    private byte[] nested() {
        int depth = pickInt(100, 1_001, 5_000, 30_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        boolean closed = random.nextBoolean();
        return (open.repeat(depth) + "1" + (closed ? close.repeat(depth) : "")).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] oversized() {
        int size = pickInt(64 * 1024 + 1, 100_000, 300_000);
        String filler = "x".repeat(size);
        return new JsonObject().put("username", filler).put("password", "p").put("app", "a").encode()
                .getBytes(StandardCharsets.UTF_8);
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[1 + random.nextInt(2_000)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Known field names with values of a type no field has (numbers where text is due, objects, arrays). */
    private JsonObject mistyped() {
        JsonObject body = new JsonObject();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            String field = pick(FIELDS);
            body.put(field, switch (random.nextInt(6)) {
                case 0 -> random.nextLong();
                case 1 -> new JsonObject().put("$ne", "");
                case 2 -> new JsonArray().add("quinn").add(1);
                case 3 -> random.nextDouble() * 1e300;
                case 4 -> field.matches("remember.*|security.*|app.*Allowed|nistProfile") ? "true" : 3.5;
                default -> new JsonObject().put("nested", new JsonArray().add(new JsonObject()));
            });
        }
        return body;
    }

    /** Known field names whose every string holds a character that no field accepts. */
    private JsonObject refusedText() {
        JsonObject body = new JsonObject();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
            String refused = pick(REFUSED);
            String odd = pick(ODD);
            body.put(pick(FIELDS), random.nextBoolean() ? odd + refused : refused + odd + refused);
        }
        return body;
    }

    /**
     * The JSON text with every non-ASCII character written as a {@code \\uXXXX} escape, so that a lone surrogate
     * reaches the service as such (encoding it as UTF-8 would turn it into '?').
     */
    static String asciiJson(String json) {
        StringBuilder out = new StringBuilder(json.length());
        for (char c : json.toCharArray()) {
            out.append(c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return out.toString();
    }

    private String asciiGarbage() {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(120); i >= 0; i--) {
            text.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return text.toString();
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private int pickInt(int... options) {
        return options[random.nextInt(options.length)];
    }
}
