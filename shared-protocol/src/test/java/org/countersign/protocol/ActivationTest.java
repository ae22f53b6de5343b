package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ActivationRequest} and {@link ActivationResponse}, the activation bodies. */
class ActivationTest {

    private static final String PUBLIC_KEY = DeviceSigner.generate(new SecureRandom()).publicKey().base64Url();

    private static ProtocolException refusal(Supplier<?> call) {
        return Assertions.assertThrows(ProtocolException.class, call::get);
    }

    @Nested
    class Request {

        private JsonObject body() {
            return new JsonObject().put("code", "Xk29-PqL7").put("publicKey", PUBLIC_KEY).put("keyAlg", "Ed25519")
                    .put("deviceName", "Alice's laptop").put("platform", "desktop-java");
        }

        @Test
        void theBodyRoundTrips() {
            ActivationRequest request = ActivationRequest.fromJson(body());
            assertThat(request.toJson()).isEqualTo(body());
            assertThat(ActivationRequest.fromJson(new JsonObject(request.toJson().encode()))).isEqualTo(request);
            assertThat(request.devicePublicKey().base64Url()).isEqualTo(PUBLIC_KEY);
        }

        @Test
        void keyAlgDefaultsToEd25519() {
            JsonObject json = body();
            json.remove("keyAlg");
            assertThat(ActivationRequest.fromJson(json).keyAlg()).isEqualTo("Ed25519");
            assertThat(new ActivationRequest("c", PUBLIC_KEY, null, "d", "p").keyAlg()).isEqualTo("Ed25519");
        }

        @Test
        void es256IsReservedAndRefusedWithAClearMessage() {
            ProtocolException e = refusal(() -> ActivationRequest.fromJson(body().put("keyAlg", "ES256")));
            assertThat(e.field()).isEqualTo("keyAlg");
            assertThat(e.getMessage()).contains("ES256").contains("reserved").contains("Ed25519");
        }

        @ParameterizedTest(name = "keyAlg {0} is refused")
        @ValueSource(strings = {"RS256", "ed25519", "", "EdDSA"})
        void otherKeyAlgorithmsAreRefused(String keyAlg) {
            assertThat(refusal(() -> ActivationRequest.fromJson(body().put("keyAlg", keyAlg))).field())
                    .isEqualTo("keyAlg");
        }

        @ParameterizedTest(name = "without {0} the error names it")
        @ValueSource(strings = {"code", "publicKey", "deviceName", "platform"})
        void eachMissingFieldIsNamed(String field) {
            JsonObject json = body();
            json.remove(field);
            ProtocolException e = refusal(() -> ActivationRequest.fromJson(json));
            assertThat(e.field()).isEqualTo(field);
        }

        @ParameterizedTest(name = "{0} of {1} characters is refused")
        @CsvSource({"code, 0", "code, 129", "deviceName, 0", "deviceName, 65", "platform, 0", "platform, 33"})
        void lengthsOutsideTheirRangeAreRefused(String field, int length) {
            ProtocolException e = refusal(() -> ActivationRequest.fromJson(body().put(field, "x".repeat(length))));
            assertThat(e.field()).isEqualTo(field);
        }

        @ParameterizedTest(name = "{0} of {1} characters is accepted")
        @CsvSource({"code, 1", "code, 128", "deviceName, 1", "deviceName, 64", "platform, 1", "platform, 32"})
        void lengthsAtTheEdgesAreAccepted(String field, int length) {
            ActivationRequest request = ActivationRequest.fromJson(body().put(field, "x".repeat(length)));
            assertThat(request.toJson().getString(field)).hasSize(length);
        }

        @Test
        void aBadPublicKeyIsRefused() {
            assertThat(refusal(() -> ActivationRequest.fromJson(body().put("publicKey", "AAAA"))).field())
                    .isEqualTo("publicKey");
        }

        @Test
        void wrongTypesAndControlCharactersAreRefused() {
            assertThat(refusal(() -> ActivationRequest.fromJson(body().put("deviceName", 12))).getMessage())
                    .isEqualTo("deviceName: must be a string, was a number");
            assertThat(refusal(() -> ActivationRequest.fromJson(body().put("deviceName", "a\nb"))).field())
                    .isEqualTo("deviceName");
            assertThat(refusal(() -> ActivationRequest.fromJson(body().put("deviceName", "   "))).field())
                    .isEqualTo("deviceName");
        }
    }

    @Nested
    class Response {

        private final OtpSecret secret = OtpSecret.random(new SecureRandom(), 20);
        private final ActivationResponse response = new ActivationResponse("dev_4kq9ZtM2", "Contoso", "alice",
                "wss://mfa.example.com/api/v1/devices/dev_4kq9ZtM2/channel", secret, new Totp(HmacAlgorithm.SHA256, 8, 30));

        @Test
        void theBodyHasTheDocumentedShape() {
            JsonObject json = response.toJson();
            assertThat(json.fieldNames()).containsExactlyInAnyOrder("deviceId", "issuer", "username", "channelUrl", "totp");
            JsonObject totp = json.getJsonObject("totp");
            assertThat(totp.getString("secret")).isEqualTo(secret.base32());
            assertThat(totp.getString("algorithm")).isEqualTo("SHA256");
            assertThat(totp.getInteger("digits")).isEqualTo(8);
            assertThat(totp.getInteger("period")).isEqualTo(30);
        }

        @Test
        void theBodyRoundTrips() {
            ActivationResponse back = ActivationResponse.fromJson(new JsonObject(response.toJson().encode()));
            assertThat(back).isEqualTo(response);
            assertThat(back.totpSecret()).isEqualTo(secret);
            assertThat(back.totp()).isEqualTo(response.totp());
            assertThat(back.channelUri().getHost()).isEqualTo("mfa.example.com");
        }

        @Test
        void toStringHidesTheSecret() {
            assertThat(response.toString()).doesNotContain(secret.base32()).contains("redacted");
        }

        @ParameterizedTest(name = "without {0} the error names it")
        @ValueSource(strings = {"deviceId", "issuer", "username", "channelUrl", "totp"})
        void eachMissingFieldIsNamed(String field) {
            JsonObject json = response.toJson();
            json.remove(field);
            assertThat(refusal(() -> ActivationResponse.fromJson(json)).field()).isEqualTo(field);
        }

        @ParameterizedTest(name = "totp.{0} = {1} is refused")
        @CsvSource(delimiter = '|', value = {
                "secret | \"not base32!\"",
                "algorithm | \"MD5\"",
                "digits | 9",
                "digits | \"6\"",
                "period | 0",
                "period | 30.5",
        })
        void badTotpParametersAreNamed(String field, String value) {
            JsonObject json = response.toJson();
            json.getJsonObject("totp").putNull(field);
            String text = json.encode().replace("\"" + field + "\":null", "\"" + field + "\":" + value);
            assertThat(refusal(() -> ActivationResponse.fromJson(new JsonObject(text))).field()).isEqualTo(field);
        }

        @ParameterizedTest(name = "channel URL {0} is refused")
        @ValueSource(strings = {"ws://mfa.example.com/channel", "http://mfa.example.com/channel", "/relative",
                "ftp://mfa.example.com/x", "not a url"})
        void anInsecureOrOddChannelUrlIsRefused(String url) {
            assertThat(refusal(() -> ActivationResponse.fromJson(response.toJson().put("channelUrl", url))).field())
                    .isEqualTo("channelUrl");
        }

        @Test
        void plainWebSocketIsAcceptedForLoopback() {
            ActivationResponse local = ActivationResponse.fromJson(
                    response.toJson().put("channelUrl", "ws://127.0.0.1:8080/api/v1/devices/d/channel"));
            assertThat(local.channelUrl()).startsWith("ws://127.0.0.1");
        }

        @Test
        void aTotpThatIsNotAnObjectIsRefused() {
            assertThatThrownBy(() -> ActivationResponse.fromJson(response.toJson().put("totp", 5)))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("totp: must be an object, was a number");
        }
    }
}
