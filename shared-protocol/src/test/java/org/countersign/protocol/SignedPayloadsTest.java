package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedPayloadsTest {

    /** One case of vectors/signatures.txt. */
    private record GoldenCase(String payload, String name, Map<String, String> inputs, String expected) {
    }

    @Nested
    class GoldenFile {

        @Test
        void everyPayloadIsExactlyTheFrozenString() {
            List<GoldenCase> cases = readCases();
            assertThat(cases).extracting(GoldenCase::payload).contains("channelLogin", "approval");
            for (GoldenCase c : cases) {
                byte[] actual = build(c);
                assertThat(new String(actual, StandardCharsets.UTF_8)).as(c.name()).isEqualTo(c.expected());
                assertThat(actual).as(c.name()).isEqualTo(c.expected().getBytes(StandardCharsets.UTF_8));
            }
        }

        @Test
        void theGoldenFileCoversEveryDecision() {
            assertThat(readCases()).extracting(c -> c.inputs().get("decision"))
                    .contains("approve", "deny", "fraud");
        }

        private byte[] build(GoldenCase c) {
            Map<String, String> in = c.inputs();
            return switch (c.payload()) {
                case "channelLogin" -> SignedPayloads.channelLogin(in.get("deviceId"), in.get("nonce"));
                case "approval" -> SignedPayloads.approval(in.get("signInId"), in.get("deviceId"),
                        Decision.fromWire(in.get("decision")), in.get("number"));
                default -> throw new AssertionError("unknown payload " + c.payload());
            };
        }

        private List<GoldenCase> readCases() {
            List<GoldenCase> cases = new ArrayList<>();
            String payload = null;
            String name = null;
            Map<String, String> inputs = new HashMap<>();
            List<String> expected = null;
            for (String line : Vectors.rawLines("signatures.txt")) {
                if (expected != null) {
                    if (line.equals("end")) {
                        cases.add(new GoldenCase(payload, name, Map.copyOf(inputs), String.join("\n", expected)));
                        inputs.clear();
                        expected = null;
                    } else {
                        expected.add(line);
                    }
                } else if (line.startsWith("case ")) {
                    String[] parts = line.split(" ");
                    payload = parts[1];
                    name = parts[2];
                } else if (line.startsWith("input ")) {
                    String[] parts = line.split(" ", 3);
                    inputs.put(parts[1], parts[2]);
                } else if (line.equals("expected")) {
                    expected = new ArrayList<>();
                }
            }
            assertThat(expected).as("unterminated expected block").isNull();
            return cases;
        }
    }

    @Nested
    class ChannelLogin {

        @ParameterizedTest(name = "deviceId \"{0}\" is refused")
        @ValueSource(strings = {"", "dev\n1", "dev\r1", "dev\u00001", "dev\t1", "dev\u007f1", "dev\u20281"})
        void aDeviceIdWithALineBreakControlCharacterOrNothingIsRefused(String deviceId) {
            assertThatThrownBy(() -> SignedPayloads.channelLogin(deviceId, "nonce"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("deviceId:");
        }

        @ParameterizedTest(name = "nonce \"{0}\" is refused")
        @ValueSource(strings = {"", "a\nb", "\n", "a\u0085b"})
        void aBadNonceIsRefused(String nonce) {
            assertThatThrownBy(() -> SignedPayloads.channelLogin("dev_1", nonce))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("nonce:");
        }

        @Test
        void nullPartsAreRefused() {
            assertThatThrownBy(() -> SignedPayloads.channelLogin(null, "n")).hasMessageStartingWith("deviceId:");
            assertThatThrownBy(() -> SignedPayloads.channelLogin("d", null)).hasMessageStartingWith("nonce:");
        }

        @Test
        void aNewlineCannotMoveTheNonceIntoTheDeviceId() {
            // The attack the checks stop: ("a\nb", "c") and ("a", "b\nc") would otherwise sign the same bytes.
            assertThatThrownBy(() -> SignedPayloads.channelLogin("a\nb", "c")).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> SignedPayloads.channelLogin("a", "b\nc")).isInstanceOf(ProtocolException.class);
        }
    }

    @Nested
    class Approval {

        @Test
        void aNullNumberIsWrittenAsADash() {
            String text = new String(SignedPayloads.approval("s", "d", Decision.DENY, null), StandardCharsets.UTF_8);
            assertThat(text).endsWith("\ndeny\n-");
        }

        @ParameterizedTest(name = "number \"{0}\" is refused")
        @ValueSource(strings = {"", "-", "4", "123456789", "4a", " 42", "42\n", "４２", "-42", "+42"})
        void aNumberThatIsNotTwoToEightAsciiDigitsIsRefused(String number) {
            assertThatThrownBy(() -> SignedPayloads.approval("s", "d", Decision.APPROVE, number))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("number:");
        }

        @ParameterizedTest(name = "signInId \"{0}\" is refused")
        @ValueSource(strings = {"", "s\n1", "s\u001b1"})
        void aBadSignInIdIsRefused(String signInId) {
            assertThatThrownBy(() -> SignedPayloads.approval(signInId, "d", Decision.APPROVE, "42"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("signInId:");
        }

        @Test
        void aBadDeviceIdIsRefused() {
            assertThatThrownBy(() -> SignedPayloads.approval("s", "d\n", Decision.APPROVE, "42"))
                    .hasMessageStartingWith("deviceId:");
            assertThatThrownBy(() -> SignedPayloads.approval("s", "", Decision.APPROVE, "42"))
                    .hasMessageStartingWith("deviceId:");
        }

        @Test
        void aMissingDecisionIsRefused() {
            assertThatThrownBy(() -> SignedPayloads.approval("s", "d", null, "42"))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageStartingWith("decision:");
        }

        @Test
        void eachDecisionSignsDifferentBytes() {
            assertThat(new String(SignedPayloads.approval("s", "d", Decision.APPROVE, "42"), StandardCharsets.UTF_8))
                    .isNotEqualTo(new String(SignedPayloads.approval("s", "d", Decision.FRAUD, "42"),
                            StandardCharsets.UTF_8));
        }
    }

    @Test
    void theTwoPayloadsCanNeverBeConfused() {
        byte[] login = SignedPayloads.channelLogin("d", "n");
        byte[] approval = SignedPayloads.approval("d", "n", Decision.DENY, null);
        assertThat(new String(login, StandardCharsets.UTF_8)).startsWith("countersign-channel-v1\n");
        assertThat(new String(approval, StandardCharsets.UTF_8)).startsWith("countersign-approval-v1\n");
    }
}
