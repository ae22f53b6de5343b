package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelMessageTest {

    private static final Instant CREATED = Instant.parse("2025-03-01T12:00:00Z");
    private static final Instant EXPIRES = Instant.parse("2025-03-01T12:01:30Z");

    /** The messages of vectors/channel-messages.txt, by name. */
    private static Map<String, ChannelMessage> examples() {
        Map<String, ChannelMessage> m = new LinkedHashMap<>();
        m.put("hello", new Hello("Jx3wq-7bRZ1hkA_ZP8fX0g"));
        m.put("login", new Login("c2lnbmF0dXJl"));
        m.put("ready", new Ready());
        m.put("approval.request", new ApprovalRequest("si_8d2fa1c0", SignInKind.SIGN_IN, "alice", "Payroll",
                "203.0.113.7", "Lyon, FR", CREATED, EXPIRES));
        m.put("approval.request-minimal", new ApprovalRequest("si_8d2fa1c0", SignInKind.REGISTRATION_TEST, "alice",
                "Countersign", null, null, CREATED, EXPIRES.plusMillis(500)));
        m.put("approval.response", new ApprovalResponse("si_8d2fa1c0", "dev_4kq9ZtM2", Decision.APPROVE, "07",
                "c2lnbmF0dXJl"));
        m.put("approval.response-deny", new ApprovalResponse("si_8d2fa1c0", "dev_4kq9ZtM2", Decision.DENY, null,
                "c2lnbmF0dXJl"));
        m.put("approval.result", new ApprovalResult("si_8d2fa1c0", "approved"));
        m.put("approval.result-denied", new ApprovalResult("si_8d2fa1c0", "denied", "wrong_number"));
        m.put("error", new ChannelError("si_8d2fa1c0", "invalid_signature",
                "The signature does not match the device key."));
        m.put("device.added", new DeviceAdded("Work phone", "android", CREATED));
        m.put("approval.result-superseded", new ApprovalResult("si_8d2fa1c0", "expired", "superseded"));
        m.put("error-without-sign-in", new ChannelError(null, "bad_frame", "frame: is not valid JSON"));
        return m;
    }

    private static ProtocolException refusal(String text) {
        return Assertions.assertThrows(ProtocolException.class, () -> ChannelMessage.parse(text));
    }

    private static String requestJson() {
        return examples().get("approval.request").encode();
    }

    @Nested
    class GoldenFrames {

        @Test
        void everyMessageEncodesToItsFrozenFrameAndParsesBack() {
            Map<String, ChannelMessage> examples = examples();
            int checked = 0;
            for (String line : Vectors.rawLines("channel-messages.txt")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String name = line.substring(0, line.indexOf(' '));
                String frame = line.substring(line.indexOf(' ') + 1);
                ChannelMessage message = examples.get(name);
                assertThat(message).as(name).isNotNull();
                assertThat(message.encode()).as(name).isEqualTo(frame);
                assertThat(ChannelMessage.parse(frame)).as(name).isEqualTo(message);
                checked++;
            }
            assertThat(checked).isEqualTo(examples.size());
        }

        @Test
        void eachVariantReportsItsType() {
            assertThat(examples().values()).extracting(ChannelMessage::type).containsOnly("hello", "login", "ready",
                    "approval.request", "approval.response", "approval.result", "error", "device.added");
            for (ChannelMessage message : examples().values()) {
                assertThat(message.toJson().getString("type")).isEqualTo(message.type());
            }
        }

        @Test
        void aSignedResponseVerifiesAndSurvivesTheWire() {
            DeviceSigner signer = DeviceSigner.generate(new SecureRandom());
            ApprovalResponse response = ApprovalResponse.sign("si_1", "dev_1", Decision.APPROVE, "42", signer);
            ApprovalResponse received = (ApprovalResponse) ChannelMessage.parse(response.encode());
            assertThat(received).isEqualTo(response);
            byte[] rebuilt = SignedPayloads.approval("si_1", "dev_1", received.decision(), received.number());
            assertThat(signer.publicKey().verify(rebuilt, received.signature())).isTrue();
        }
    }

    @Nested
    class MalformedFrames {

        @ParameterizedTest(name = "{0} is refused as frame")
        @ValueSource(strings = {"", "{", "not json", "{\"type\":\"hello\",}", "[1,2]", "42", "\"hello\"", "null",
                "true"})
        void badOrNonObjectJsonIsRefused(String text) {
            assertThat(refusal(text).field()).isEqualTo("frame");
        }

        @Test
        void nullIsRefused() {
            assertThat(refusal(null).field()).isEqualTo("frame");
        }

        @Test
        void aFrameOver16KibIsRefused() {
            String nonce = "n".repeat(ChannelMessage.MAX_FRAME_BYTES);
            ProtocolException e = refusal("{\"type\":\"hello\",\"nonce\":\"" + nonce + "\"}");
            assertThat(e.field()).isEqualTo("frame");
            assertThat(e.getMessage()).contains("16384");
        }

        @Test
        void theFrameLimitCountsUtf8Bytes() {
            String filler = "é".repeat(ChannelMessage.MAX_FRAME_BYTES / 2);
            String text = "{\"type\":\"ready\",\"x\":\"" + filler + "\"}";
            assertThat(text.length()).isLessThan(ChannelMessage.MAX_FRAME_BYTES);
            assertThat(refusal(text).field()).isEqualTo("frame");
        }

        @Test
        void deeplyNestedJsonIsAProtocolErrorNotACrash() {
            String text = "{\"type\":\"ready\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
            assertThat(refusal(text)).isInstanceOf(ProtocolException.class);
        }

        @ParameterizedTest(name = "type {0} is refused")
        @ValueSource(strings = {"{}", "{\"type\":null}", "{\"type\":\"approval.cancel\"}", "{\"type\":\"HELLO\"}",
                "{\"type\":7}", "{\"type\":{}}"})
        void aMissingUnknownOrWrongTypedTypeIsRefused(String text) {
            ProtocolException e = refusal(text);
            assertThat(e.field()).isEqualTo("type");
        }

        @Test
        void theUnknownTypeIsNamedInTheMessage() {
            assertThat(refusal("{\"type\":\"approval.cancel\"}").getMessage()).contains("approval.cancel");
        }
    }

    @Nested
    class FieldChecks {

        @ParameterizedTest(name = "without {0} the request is refused naming it")
        @ValueSource(strings = {"signInId", "kind", "user", "app", "createdAt", "expiresAt"})
        void eachRequiredRequestFieldIsNamedWhenMissing(String field) {
            JsonObject json = new JsonObject(requestJson());
            json.remove(field);
            ProtocolException e = refusal(json.encode());
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ").contains("missing");
        }

        @ParameterizedTest(name = "without {0} the response is refused naming it")
        @ValueSource(strings = {"signInId", "deviceId", "decision", "signature"})
        void eachRequiredResponseFieldIsNamedWhenMissing(String field) {
            JsonObject json = examples().get("approval.response").toJson();
            json.remove(field);
            assertThat(refusal(json.encode()).field()).isEqualTo(field);
        }

        @ParameterizedTest(name = "without {0} the device.added notice is refused naming it")
        @ValueSource(strings = {"deviceName", "platform", "addedAt"})
        void eachRequiredDeviceAddedFieldIsNamedWhenMissing(String field) {
            JsonObject json = examples().get("device.added").toJson();
            json.remove(field);
            assertThat(refusal(json.encode()).field()).isEqualTo(field);
        }

        @Test
        void missingNonceAndSignatureAreNamed() {
            assertThat(refusal("{\"type\":\"hello\"}").field()).isEqualTo("nonce");
            assertThat(refusal("{\"type\":\"login\"}").field()).isEqualTo("signature");
            assertThat(refusal("{\"type\":\"approval.result\",\"signInId\":\"s\"}").field()).isEqualTo("state");
            assertThat(refusal("{\"type\":\"error\",\"message\":\"m\"}").field()).isEqualTo("error");
            assertThat(refusal("{\"type\":\"error\",\"error\":\"e\"}").field()).isEqualTo("message");
            assertThat(refusal("{\"type\":\"error\",\"error\":\"e\",\"message\":\"m\",\"signInId\":1}")
                    .field()).isEqualTo("signInId");
        }

        @ParameterizedTest(name = "{0} = {1} is refused")
        @CsvSource(delimiter = '|', value = {
                "signInId | 42",
                "signInId | {\"a\":1}",
                "user | [\"alice\"]",
                "app | true",
                "ip | 7",
                "location | {}",
                "kind | \"login\"",
                "createdAt | \"yesterday\"",
                "createdAt | 1740830400",
                "expiresAt | \"2025-03-01 12:01:30\"",
        })
        void wrongTypedOrInvalidRequestFieldsAreNamed(String field, String value) {
            String text = new JsonObject(requestJson()).put(field, (Object) null).encode()
                    .replace("\"" + field + "\":null", "\"" + field + "\":" + value);
            ProtocolException e = refusal(text);
            assertThat(e.field()).isEqualTo(field);
        }

        @Test
        void aNumberWhereAnObjectIsExpectedIsAClearError() {
            ProtocolException e = refusal("{\"type\":\"hello\",\"nonce\":12}");
            assertThat(e).hasMessage("nonce: must be a string, was a number");
        }

        @Test
        void ipAndLocationAreOptional() {
            ApprovalRequest request = (ApprovalRequest) ChannelMessage.parse(examples().get("approval.request-minimal")
                    .encode());
            assertThat(request.ip()).isNull();
            assertThat(request.location()).isNull();
            assertThat(request.toJson().containsKey("ip")).isFalse();
        }

        @Test
        void aRequestThatExpiresBeforeItIsCreatedIsRefused() {
            assertThatThrownBy(() -> new ApprovalRequest("s", SignInKind.SIGN_IN, "u", "a", null, null, EXPIRES,
                    CREATED)).hasMessageStartingWith("expiresAt:");
        }

        @Test
        void unknownExtraFieldsAreIgnored() {
            String text = new JsonObject(requestJson()).put("futureField", 1).encode();
            assertThat(ChannelMessage.parse(text)).isEqualTo(examples().get("approval.request"));
        }

        @Test
        void aControlCharacterInAnIdIsRefused() {
            assertThat(refusal("{\"type\":\"approval.result\",\"signInId\":\"s\\n1\",\"state\":\"approved\"}")
                    .field()).isEqualTo("signInId");
        }
    }

    @Nested
    class ApprovalNumbers {

        private JsonObject body(Object number) {
            JsonObject json = new JsonObject().put("signInId", "si_1").put("deviceId", "dev_1")
                    .put("decision", "approve").put("signature", "c2ln");
            return number == null ? json : json.put("number", number);
        }

        @Test
        void theNumberIsAcceptedAsAString() {
            assertThat(ApprovalResponse.fromJson(body("42")).number()).isEqualTo("42");
        }

        @Test
        void theNumberIsAcceptedAsAnInteger() {
            assertThat(ApprovalResponse.fromJson(body(42)).number()).isEqualTo("42");
            assertThat(ApprovalResponse.fromJson(new JsonObject(body(42).encode())).number()).isEqualTo("42");
        }

        @Test
        void approvingWithoutANumberIsRefused() {
            ProtocolException e = Assertions.assertThrows(ProtocolException.class,
                    () -> ApprovalResponse.fromJson(body(null)));
            assertThat(e.field()).isEqualTo("number");
        }

        @Test
        void denyingAndReportingFraudNeedNoNumber() {
            assertThat(ApprovalResponse.fromJson(body(null).put("decision", "deny")).number()).isNull();
            assertThat(ApprovalResponse.fromJson(body(null).put("decision", "fraud")).number()).isNull();
            assertThat(ApprovalResponse.fromJson(body(null).put("decision", "deny").putNull("number")).number())
                    .isNull();
        }

        @ParameterizedTest(name = "number {0} is refused")
        @ValueSource(strings = {"", "4", "123456789", "4a", "-42", " 42", "4 2", "４２"})
        void aNumberThatIsNotTwoToEightDigitsIsRefused(String number) {
            ProtocolException e = Assertions.assertThrows(ProtocolException.class,
                    () -> ApprovalResponse.fromJson(body(number)));
            assertThat(e.field()).isEqualTo("number");
        }

        @Test
        void aNegativeFractionalOrStructuredNumberIsRefused() {
            for (Object number : new Object[] {-42, 4.2, new JsonObject(), true, 123_456_789L}) {
                ProtocolException e = Assertions.assertThrows(ProtocolException.class,
                        () -> ApprovalResponse.fromJson(body(number)), String.valueOf(number));
                assertThat(e.field()).isEqualTo("number");
            }
        }

        @Test
        void anUnknownDecisionIsRefused() {
            ProtocolException e = Assertions.assertThrows(ProtocolException.class,
                    () -> ApprovalResponse.fromJson(body("42").put("decision", "APPROVE")));
            assertThat(e.field()).isEqualTo("decision");
        }

        @Test
        void aNullBodyIsRefused() {
            assertThatThrownBy(() -> ApprovalResponse.fromJson(null)).isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void neverThrowsAnythingButProtocolExceptionOnRandomInput() {
        java.util.Random random = new java.util.Random(7);
        String valid = examples().get("approval.response").encode();
        for (int i = 0; i < 2000; i++) {
            char[] chars = valid.toCharArray();
            for (int n = 0; n < 1 + random.nextInt(4); n++) {
                chars[random.nextInt(chars.length)] = (char) (random.nextInt(0x7f));
            }
            String mutated = new String(chars);
            try {
                ChannelMessage.parse(mutated);
            } catch (ProtocolException expected) {
                // fine: the only allowed failure
            } catch (RuntimeException e) {
                throw new AssertionError("parse threw " + e + " for " + mutated, e);
            }
        }
    }
}
