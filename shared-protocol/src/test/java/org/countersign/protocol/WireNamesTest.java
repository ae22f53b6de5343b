package org.countersign.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The enums' wire names, and the error type. */
class WireNamesTest {

    @Test
    void decisionsHaveTheirWireNames() {
        assertThat(Decision.APPROVE.wire()).isEqualTo("approve");
        assertThat(Decision.DENY.wire()).isEqualTo("deny");
        assertThat(Decision.FRAUD.wire()).isEqualTo("fraud");
    }

    @ParameterizedTest
    @EnumSource(Decision.class)
    void everyDecisionReadsBackFromItsWireName(Decision decision) {
        assertThat(Decision.fromWire(decision.wire())).isEqualTo(decision);
    }

    @ParameterizedTest(name = "decision \"{0}\" is refused")
    @NullSource
    @ValueSource(strings = {"", "APPROVE", "approved", "yes"})
    void unknownDecisionsAreRefused(String wire) {
        assertThatThrownBy(() -> Decision.fromWire(wire)).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("decision:");
    }

    @Test
    void signInKindsHaveTheirWireNames() {
        assertThat(SignInKind.SIGN_IN.wire()).isEqualTo("sign-in");
        assertThat(SignInKind.fromWire("registration-test")).isEqualTo(SignInKind.REGISTRATION_TEST);
        assertThatThrownBy(() -> SignInKind.fromWire("SIGN_IN")).hasMessageStartingWith("kind:");
    }

    @Test
    void hmacAlgorithmsHaveTheirJcaAndUriNames() {
        assertThat(HmacAlgorithm.SHA256.jcaName()).isEqualTo("HmacSHA256");
        assertThat(HmacAlgorithm.SHA512.uriName()).isEqualTo("SHA512");
        assertThat(HmacAlgorithm.fromUriName("sha1")).isEqualTo(HmacAlgorithm.SHA1);
        assertThatThrownBy(() -> HmacAlgorithm.fromUriName("SHA-1")).hasMessageStartingWith("algorithm:");
        assertThatThrownBy(() -> HmacAlgorithm.fromUriName(null)).hasMessageStartingWith("algorithm:");
    }

    @Test
    void otpTypesReadTheirUriNames() {
        assertThat(OtpType.fromUriName("HOTP")).isEqualTo(OtpType.HOTP);
        assertThat(OtpType.TOTP.uriName()).isEqualTo("totp");
        assertThatThrownBy(() -> OtpType.fromUriName("steam")).hasMessageStartingWith("type:");
    }

    @Test
    void aProtocolErrorNamesItsFieldFirst() {
        ProtocolException e = new ProtocolException("url", "must use https (plain http only for a loopback host)");
        assertThat(e.field()).isEqualTo("url");
        assertThat(e.reason()).isEqualTo("must use https (plain http only for a loopback host)");
        assertThat(e).hasMessage("url: must use https (plain http only for a loopback host)");
    }
}
