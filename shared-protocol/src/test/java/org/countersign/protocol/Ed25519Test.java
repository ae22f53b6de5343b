package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link DeviceSigner} and {@link DevicePublicKey}: device keys and their signatures. */
class Ed25519Test {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final DeviceSigner signer = DeviceSigner.generate(new SecureRandom());
    private final byte[] payload = SignedPayloads.approval("si_1", "dev_1", Decision.APPROVE, "42");
    private final byte[] signature = signer.sign(payload);

    @Nested
    class Rfc8032Vectors {

        @Test
        void signingGivesTheRfcSignatureAndItVerifies() {
            List<String[]> vectors = Vectors.records("ed25519-rfc8032.txt");
            assertThat(vectors).extracting(v -> v[0]).contains("TEST1");
            for (String[] v : vectors) {
                DeviceSigner rfcSigner = DeviceSigner.fromPrivateKey(Vectors.hex(v[1]));
                byte[] message = Vectors.hex(v[3]);
                byte[] expected = Vectors.hex(v[4]);

                assertThat(rfcSigner.publicKey().bytes()).as(v[0]).isEqualTo(Vectors.hex(v[2]));
                assertThat(rfcSigner.sign(message)).as(v[0]).isEqualTo(expected);
                DevicePublicKey publicKey = DevicePublicKey.parse(BASE64URL.encodeToString(Vectors.hex(v[2])));
                assertThat(publicKey.verify(message, expected)).as(v[0]).isTrue();
                assertThat(publicKey.verify(new byte[] {1}, expected)).as(v[0]).isFalse();
            }
        }
    }

    @Nested
    class SignAndVerify {

        @Test
        void aSignatureVerifiesWithTheSignersPublicKey() {
            assertThat(signature).hasSize(64);
            assertThat(signer.publicKey().verify(payload, signature)).isTrue();
            assertThat(signer.publicKey().verify(payload, signer.signBase64Url(payload))).isTrue();
        }

        @Test
        void anotherKeysSignatureDoesNotVerify() {
            DeviceSigner other = DeviceSigner.generate(new SecureRandom());
            assertThat(signer.publicKey().verify(payload, other.sign(payload))).isFalse();
        }

        @Test
        void theSignatureOfAnotherPayloadDoesNotVerify() {
            byte[] deny = SignedPayloads.approval("si_1", "dev_1", Decision.DENY, "42");
            assertThat(signer.publicKey().verify(deny, signature)).isFalse();
        }

        @Test
        void aStoredPrivateKeyRestoresTheSameSigner() {
            DeviceSigner restored = DeviceSigner.fromPrivateKey(signer.privateKeyBytes());
            assertThat(restored.publicKey()).isEqualTo(signer.publicKey());
            assertThat(restored.sign(payload)).isEqualTo(signature);
        }

        @Test
        void thePublicKeyRoundTripsThroughBase64Url() {
            String wire = signer.publicKey().base64Url();
            assertThat(wire).hasSize(43).doesNotContain("=", "+", "/");
            assertThat(DevicePublicKey.parse(wire)).isEqualTo(signer.publicKey());
        }

        @Test
        void theSignerNeverShowsItsPrivateKey() {
            String privateKey = HexFormat.of().formatHex(signer.privateKeyBytes());
            String privateKeyBase64 = BASE64URL.encodeToString(signer.privateKeyBytes());
            assertThat(signer.toString()).contains("redacted").doesNotContain(privateKey, privateKeyBase64);
        }

        @Test
        void aPrivateKeyThatIsNot32BytesIsRefused() {
            assertThatThrownBy(() -> DeviceSigner.fromPrivateKey(new byte[31]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Tampering {

        @Test
        void flippingAnyByteOfThePayloadFailsVerification() {
            for (int i = 0; i < payload.length; i++) {
                byte[] tampered = payload.clone();
                tampered[i] ^= (byte) 0xff;
                assertThat(signer.publicKey().verify(tampered, signature)).as("payload byte %d", i).isFalse();
            }
        }

        @Test
        void flippingAnyByteOfTheSignatureFailsVerification() {
            for (int i = 0; i < signature.length; i++) {
                byte[] tampered = signature.clone();
                tampered[i] ^= (byte) 0xff;
                assertThat(signer.publicKey().verify(payload, tampered)).as("signature byte %d", i).isFalse();
            }
        }

        @Test
        void flippingAnyBitOfChosenBytesFailsVerification() {
            // first and last byte of R and of S, and the payload's decision and number
            for (int i : new int[] {0, 31, 32, 63}) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] tampered = signature.clone();
                    tampered[i] ^= (byte) (1 << bit);
                    assertThat(signer.publicKey().verify(payload, tampered)).as("signature byte %d bit %d", i, bit)
                            .isFalse();
                }
            }
            for (int i : new int[] {0, payload.length - 1, payload.length - 4}) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] tampered = payload.clone();
                    tampered[i] ^= (byte) (1 << bit);
                    assertThat(signer.publicKey().verify(tampered, signature)).as("payload byte %d bit %d", i, bit)
                            .isFalse();
                }
            }
        }

        @Test
        void truncatedOrExtendedInputsFailVerification() {
            byte[] longer = java.util.Arrays.copyOf(payload, payload.length + 1);
            byte[] shorter = java.util.Arrays.copyOf(payload, payload.length - 1);
            assertThat(signer.publicKey().verify(longer, signature)).isFalse();
            assertThat(signer.publicKey().verify(shorter, signature)).isFalse();
            assertThat(signer.publicKey().verify(payload, java.util.Arrays.copyOf(signature, 63))).isFalse();
            assertThat(signer.publicKey().verify(payload, java.util.Arrays.copyOf(signature, 65))).isFalse();
        }

        @Test
        void changingAnyCharacterOfTheBase64SignatureFailsVerification() {
            String wire = signer.signBase64Url(payload);
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            for (int i = 0; i < wire.length(); i++) {
                for (char replacement : new char[] {'A', 'h', '_'}) {
                    char c = replacement == wire.charAt(i)
                            ? alphabet.charAt((alphabet.indexOf(replacement) + 1) % 64) : replacement;
                    String tampered = wire.substring(0, i) + c + wire.substring(i + 1);
                    assertThat(signer.publicKey().verify(payload, tampered)).as("character %d", i).isFalse();
                }
            }
        }
    }

    @Nested
    class MalformedInput {

        @ParameterizedTest(name = "signature \"{0}\" is false, not an exception")
        @ValueSource(strings = {"", "!!!!", "abc", "not base64 at all, with spaces",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
        void aMalformedSignatureIsFalse(String malformed) {
            assertThat(signer.publicKey().verify(payload, malformed)).isFalse();
        }

        @Test
        void nullsAreFalse() {
            assertThat(signer.publicKey().verify(payload, (String) null)).isFalse();
            assertThat(signer.publicKey().verify(payload, (byte[]) null)).isFalse();
            assertThat(signer.publicKey().verify(null, signature)).isFalse();
        }

        @Test
        void aStandardBase64SignatureIsRefused() {
            String standard = Base64.getEncoder().withoutPadding().encodeToString(signature);
            String urlSafe = BASE64URL.encodeToString(signature);
            if (!standard.equals(urlSafe)) {
                assertThat(signer.publicKey().verify(payload, standard)).isFalse();
            }
            assertThat(signer.publicKey().verify(payload, standard + "==")).isFalse();
        }

        @ParameterizedTest(name = "public key \"{0}\" is refused")
        @ValueSource(strings = {"", "AAAA", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
                "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"})
        void aMalformedPublicKeyIsRefusedNamingTheField(String malformed) {
            assertThatThrownBy(() -> DevicePublicKey.parse(malformed))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("publicKey:");
        }

        @Test
        void aSmallOrderPublicKeyIsRefused() {
            byte[] identity = new byte[32];
            identity[0] = 1; // the neutral element: it would "verify" forged signatures
            assertThatThrownBy(() -> DevicePublicKey.of(identity))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("publicKey:");
        }

        @ParameterizedTest(name = "stored public key \"{0}\" is refused")
        @ValueSource(strings = {"", "AAAA", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
                "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHUR"})
        void aMalformedStoredPublicKeyIsRefusedToo(String malformed) {
            assertThatThrownBy(() -> DevicePublicKey.parseStored(malformed))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("publicKey:");
        }

        @Test
        void aStoredKeyIsTheKeyThatWasCheckedInFullAndVerifiesTheSame() {
            DeviceSigner signer = DeviceSigner.generate(new java.security.SecureRandom());
            String wire = signer.publicKey().base64Url();
            DevicePublicKey stored = DevicePublicKey.parseStored(wire);
            byte[] payload = "payload".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(stored).isEqualTo(DevicePublicKey.parse(wire));
            assertThat(stored.verify(payload, signer.sign(payload))).isTrue();
        }

        @Test
        void theRfcPublicKeyParsesFromItsBase64UrlForm() {
            assertThat(DevicePublicKey.parse("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo").bytes())
                    .isEqualTo(Vectors.hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        }
    }
}
