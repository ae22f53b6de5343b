package org.countersign.push.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.countersign.protocol.ActivationRequest;
import org.countersign.protocol.ActivationResponse;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Base32;
import org.countersign.protocol.Decision;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.SignInKind;
import org.countersign.protocol.Totp;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registration of the Authenticator app (ARCHITECTURE.md §2.1, §3.1, §5). */
class EnrollmentTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    /** A new enforced user's registration-only session. */
    private static String registrationSession(String username) {
        fixture.flows().createUser(fixture.admin(), username, "enforced");
        Api.Response signIn = fixture.flows().signIn(username);
        assertThat(signIn.string("state")).as(signIn.toString()).isEqualTo("registration_required");
        return signIn.string("sessionToken");
    }

    private static Api.Response createEnrollment(String session) {
        Api.Response created = fixture.api().post("/api/v1/enrollments", new JsonObject(), session);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    private static String code(Api.Response created) {
        return EnrollmentUri.parse(created.string("uri")).code();
    }

    private static JsonObject activation(String code) {
        return new ActivationRequest(code, DeviceSigner.generate(RANDOM).publicKey().base64Url(), "Ed25519",
                "test phone", "test").toJson();
    }

    private static Api.Response activate(JsonObject body) {
        return fixture.api().post("/api/v1/enrollments/activate", body);
    }

    @Nested
    class TheActivationCode {
        @Test
        void isInTheUriWithTheActivationUrlIssuerAndUserAndHasAtLeast128Bits() {
            Api.Response created = createEnrollment(registrationSession("abe"));
            EnrollmentUri uri = EnrollmentUri.parse(created.string("uri"));
            assertThat(uri.activationUrl().toString())
                    .isEqualTo(fixture.api().baseUrl() + "/api/v1/enrollments/activate");
            assertThat(uri.issuer()).isEqualTo("Countersign Test");
            assertThat(uri.user()).isEqualTo("abe");
            assertThat(Base32.decode(uri.code()).length * 8).isGreaterThanOrEqualTo(128);
            assertThat(created.string("qrPngUrl")).startsWith("data:image/png;base64,");
        }

        @Test
        void worksOnce() {
            Api.Response created = createEnrollment(registrationSession("bea"));
            assertThat(activate(activation(code(created))).status()).isEqualTo(201);
            String before = fixture.service().snapshot();

            Api.Response again = activate(activation(code(created)));

            assertThat(again.status()).as(again.toString()).isEqualTo(400);
            assertThat(again.error()).isEqualTo("invalid_activation_code");
            assertThat(fixture.service().count("devices d JOIN users u ON u.id = d.user_id WHERE u.username = 'bea'"))
                    .isEqualTo(1);
            assertThat(fixture.service().snapshot()).as("state after the reused code").isEqualTo(before);
        }

        @Test
        void expiresAfterTenMinutes() {
            String session = registrationSession("cas");
            Api.Response expiring = createEnrollment(session);
            Api.Response stillFresh;
            fixture.clock().advance(Duration.ofMinutes(9).plusSeconds(59));
            stillFresh = createEnrollment(session);
            fixture.clock().advance(Duration.ofMinutes(1).plusSeconds(1));
            String before = fixture.service().snapshot();

            Api.Response late = activate(activation(code(expiring)));
            assertThat(late.status()).as(late.toString()).isEqualTo(400);
            assertThat(late.error()).isEqualTo("invalid_activation_code");
            assertThat(fixture.service().snapshot()).as("state after the expired code").isEqualTo(before);
            assertThat(fixture.api().get("/api/v1/enrollments/" + expiring.string("enrollmentId"), session)
                    .string("state")).isEqualTo("expired");
            assertThat(activate(activation(code(stillFresh))).status()).isEqualTo(201);
        }

        @Test
        void thatWasNeverIssuedIsRefused() {
            String before = fixture.service().snapshot();
            Api.Response refused = activate(activation(Base32.encode(new byte[20])));
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_activation_code");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }

        @Test
        void isStoredOnlyAsItsHash() {
            Api.Response created = createEnrollment(registrationSession("dan"));
            String code = code(created);
            String row = fixture.service().sql("SELECT t::text AS all_columns FROM enrollments t WHERE id = '"
                    + created.string("enrollmentId") + "'").iterator().next().getString("all_columns");
            assertThat(row).doesNotContain(code).doesNotContain(code.toLowerCase());
            assertThat(fixture.service().sql("SELECT encode(code_hash, 'hex') AS hash FROM enrollments WHERE id = '"
                    + created.string("enrollmentId") + "'").iterator().next().getString("hash"))
                    .isEqualTo(HexFormat.of().formatHex(Tokens.hash(code)));
            assertThat(fixture.service().sql("SELECT string_agg(t::text, '|') AS all_rows FROM audit_events t")
                    .iterator().next().getString("all_rows")).doesNotContain(code);
        }
    }

    @Nested
    class Activation {
        @Test
        void answersTheDeviceTheAccountTheChannelAndATotpSecretOfAtLeast160Bits() {
            Api.Response created = createEnrollment(registrationSession("eli"));
            Api.Response answer = activate(activation(code(created)));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
            ActivationResponse response = ActivationResponse.fromJson(answer.json());

            assertThat(response.username()).isEqualTo("eli");
            assertThat(response.issuer()).isEqualTo("Countersign Test");
            assertThat(response.channelUrl()).isEqualTo(fixture.api().baseUrl().replace("http://", "ws://")
                    + "/api/v1/devices/" + response.deviceId() + "/channel");
            assertThat(response.totpSecret().bitLength()).isGreaterThanOrEqualTo(160);
            assertThat(response.totp()).isEqualTo(Totp.DEFAULT);
            assertThat(fixture.rows().deviceState(response.deviceId())).isEqualTo("unverified");
        }

        @Test
        void sealsTheTotpSecretAtRest() {
            Api.Response created = createEnrollment(registrationSession("fox"));
            ActivationResponse response = ActivationResponse.fromJson(activate(activation(code(created))).json());
            byte[] secret = response.totpSecret().bytes();
            byte[] stored = fixture.service().sql("SELECT totp_secret FROM devices WHERE id = '"
                    + response.deviceId() + "'").iterator().next().getBuffer("totp_secret").getBytes();

            assertThat(stored).hasSize(1 + 4 + 12 + secret.length + 16); // version, key id, nonce, sealed, tag
            assertThat(indexOf(stored, secret)).isEqualTo(-1);
            assertThat(fixture.service().sql("SELECT string_agg(t::text, '|') AS all_rows FROM devices t").iterator()
                    .next().getString("all_rows")).doesNotContain(response.totpSecret().base32())
                    .doesNotContain(HexFormat.of().formatHex(secret));
            assertThat(fixture.service().sql("SELECT string_agg(t::text, '|') AS all_rows FROM audit_events t")
                    .iterator().next().getString("all_rows")).doesNotContain(response.totpSecret().base32());
        }

        @Test
        void refusesBadBodiesNamingTheFieldAndKeepsTheCodeUsable() {
            Api.Response created = createEnrollment(registrationSession("gia"));
            String code = code(created);
            JsonObject good = activation(code);
            Map<String, JsonObject> bad = Map.ofEntries(
                    Map.entry("publicKey", good.copy().put("publicKey", "not-a-key")),
                    Map.entry("publicKey ", good.copy().put("publicKey", Base32.encode(new byte[31]))),
                    Map.entry(" publicKey", good.copy().put("publicKey",
                            java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[33]))),
                    Map.entry("keyAlg", good.copy().put("keyAlg", "ES256")),
                    Map.entry("keyAlg ", good.copy().put("keyAlg", "RSA")),
                    Map.entry("code", without(good, "code")),
                    Map.entry("publicKey  ", without(good, "publicKey")),
                    Map.entry("deviceName", without(good, "deviceName")),
                    Map.entry("platform", without(good, "platform")),
                    Map.entry("deviceName ", good.copy().put("deviceName", "x".repeat(65))),
                    Map.entry(" deviceName", good.copy().put("deviceName", "   ")),
                    Map.entry("platform ", good.copy().put("platform", "p".repeat(33))),
                    Map.entry("deviceName  ", good.copy().put("deviceName", 42)));
            String before = fixture.service().snapshot();
            bad.forEach((field, body) -> {
                Api.Response refused = activate(body);
                assertThat(refused.status()).as(field + ": " + refused).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
                assertThat(refused.string("message")).as(refused.toString()).contains(field.trim());
            });
            assertThat(fixture.service().snapshot()).isEqualTo(before);
            assertThat(activate(good).status()).isEqualTo(201);
        }
    }

    @Nested
    class TheNewDevice {
        @Test
        void isVerifiedByApprovingTheTestWithTheRightNumber() {
            String session = registrationSession("hal");
            Api.Response created = createEnrollment(session);
            try (TestDevice device = TestDevice.activate(fixture.api(), code(created)).connect()) {
                ApprovalRequest test = device.next(ApprovalRequest.class);
                assertThat(test.kind()).isEqualTo(SignInKind.REGISTRATION_TEST);
                JsonObject status = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), session)
                        .json();
                assertThat(status.getString("state")).isEqualTo("activated");
                assertThat(status.getString("deviceId")).isEqualTo(device.deviceId());
                String number = status.getJsonObject("testSignIn").getString("number");

                device.send(device.answer(test.signInId(), Decision.APPROVE, number));

                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
                assertThat(fixture.rows().deviceState(device.deviceId())).isEqualTo("verified");
                assertThat(fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), session)
                        .string("state")).isEqualTo("verified");
            }
        }

        @Test
        void staysUnverifiedAfterAWrongNumberOnTheTestAndGetsNoSignIns() throws Exception {
            String session = registrationSession("ida");
            Api.Response created = createEnrollment(session);
            try (TestDevice device = TestDevice.activate(fixture.api(), code(created)).connect()) {
                ApprovalRequest test = device.next(ApprovalRequest.class);
                String number = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), session)
                        .json().getJsonObject("testSignIn").getString("number");
                device.send(device.answer(test.signInId(), Decision.APPROVE, number.equals("42") ? "43" : "42"));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("denied");
                assertThat(fixture.rows().deviceState(device.deviceId())).isEqualTo("unverified");

                Api.Response next = fixture.flows().signIn("ida");
                assertThat(next.string("state")).isEqualTo("registration_required");
                assertThat(device.quietFor(Duration.ofMillis(300))).isTrue();
                assertThat(fixture.api().get("/api/v1/admin/users?mfa=enforced", fixture.admin()).array("users")
                        .stream().map(JsonObject.class::cast).filter(user -> user.getString("username").equals("ida"))
                        .findFirst().orElseThrow().getInteger("methodsRegistered")).isZero();
            }
        }

        @Test
        void getsOnlyItsRegistrationTestWhileUnverifiedNotTheUsersSignIns() throws Exception {
            fixture.flows().createUser(fixture.admin(), "jay", "enforced");
            try (TestDevice verified = fixture.flows().registerDevice("jay")) {
                String session = fixture.flows().signInWithPush("jay", verified);
                Api.Response created = createEnrollment(session);
                try (TestDevice unverified = TestDevice.activate(fixture.api(), code(created)).connect()) {
                    ApprovalRequest test = unverified.next(ApprovalRequest.class);
                    assertThat(test.kind()).isEqualTo(SignInKind.REGISTRATION_TEST);

                    Api.Response started = fixture.flows().signIn("jay");
                    String id = started.string("signInId");
                    assertThat(verified.next(ApprovalRequest.class).signInId()).isEqualTo(id);
                    assertThat(unverified.quietFor(Duration.ofMillis(300))).isTrue();

                    Api.Response answer = fixture.api().post("/api/v1/sign-ins/" + id + "/response",
                            unverified.answer(id, Decision.APPROVE, started.string("number")).toJson());
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
                    Api.Response code = fixture.api().post("/api/v1/sign-ins/" + id + "/totp", new JsonObject()
                            .put("code", Totp.DEFAULT.codeAt(unverified.activation().totpSecret(),
                                    fixture.clock().instant())));
                    assertThat(code.status()).as(code.toString()).isEqualTo(400);
                    assertThat(fixture.rows().signIn(id).state()).isEqualTo("pending");

                    try (TestDevice restarted = unverified.reconnected().connect()) {
                        assertThat(restarted.next(ApprovalRequest.class).signInId()).isEqualTo(test.signInId());
                        assertThat(restarted.quietFor(Duration.ofMillis(300))).isTrue();
                    }
                }
            }
        }

        @Test
        void cannotHaveItsTestAnsweredByAnotherDeviceOfTheUser() {
            fixture.flows().createUser(fixture.admin(), "kit", "enforced");
            try (TestDevice verified = fixture.flows().registerDevice("kit")) {
                String session = fixture.flows().signInWithPush("kit", verified);
                Api.Response created = createEnrollment(session);
                try (TestDevice unverified = TestDevice.activate(fixture.api(), code(created)).connect()) {
                    ApprovalRequest test = unverified.next(ApprovalRequest.class);
                    String number = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), session)
                            .json().getJsonObject("testSignIn").getString("number");

                    Api.Response answer = fixture.api().post("/api/v1/sign-ins/" + test.signInId() + "/response",
                            verified.answer(test.signInId(), Decision.APPROVE, number).toJson());

                    assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
                    assertThat(fixture.rows().deviceState(unverified.deviceId())).isEqualTo("unverified");
                }
            }
        }
    }

    @Nested
    class AddingAnotherDevice {
        @Test
        void isRefusedWithMfaRequiredForASessionThatDidNotCompleteMfa() {
            String registrationOnly = registrationSession("lia");
            try (TestDevice first = registerWith(registrationOnly)) {
                Api.Response refused = fixture.api().post("/api/v1/enrollments", new JsonObject(), registrationOnly);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                assertThat(refused.error()).isEqualTo("mfa_required");

                String mfaSession = fixture.flows().signInWithPush("lia", first);
                assertThat(fixture.api().post("/api/v1/enrollments", new JsonObject(), mfaSession).status())
                        .isEqualTo(201);
            }
        }

        @Test
        void isRefusedForAFullSessionFromTheSecurityDefaultsGrace() {
            fixture.flows().createUser(fixture.admin(), "mo", "disabled");
            Api.Response signIn = fixture.flows().signIn("mo");
            assertThat(signIn.json().getBoolean("skippable")).isTrue();
            String grace = signIn.string("sessionToken");
            try (TestDevice first = registerWith(grace)) {
                Api.Response refused = fixture.api().post("/api/v1/enrollments", new JsonObject(), grace);
                assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
                assertThat(refused.error()).isEqualTo("mfa_required");
            }
        }
    }

    @Nested
    class TheStatus {
        @Test
        void ofAnotherUsersEnrollmentIsNotFound() {
            Api.Response created = createEnrollment(registrationSession("ned"));
            String other = registrationSession("ola");
            Api.Response refused = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), other);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(404);
            assertThat(refused.error()).isEqualTo("not_found");
        }

        @Test
        void needsASession() {
            Api.Response created = createEnrollment(registrationSession("pia"));
            assertThat(fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId")).status())
                    .isEqualTo(401);
            assertThat(fixture.api().post("/api/v1/enrollments", new JsonObject()).status()).isEqualTo(401);
        }
    }

    /** Registers a first device under the given session and approves its test. */
    private static TestDevice registerWith(String session) {
        Api.Response created = createEnrollment(session);
        TestDevice device = TestDevice.activate(fixture.api(), code(created)).connect();
        ApprovalRequest test = device.next(ApprovalRequest.class);
        String number = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), session).json()
                .getJsonObject("testSignIn").getString("number");
        device.send(device.answer(test.signInId(), Decision.APPROVE, number));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        return device;
    }

    private static JsonObject without(JsonObject body, String field) {
        JsonObject copy = body.copy();
        copy.remove(field);
        return copy;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
