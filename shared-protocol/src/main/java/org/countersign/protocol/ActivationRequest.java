package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/**
 * The app's {@code POST /api/v1/enrollments/activate} body: the activation code from the QR code and the new
 * device's public key.
 *
 * @param code       the activation code, 1 to 128 characters
 * @param publicKey  base64url (no padding) of the raw 32-byte Ed25519 public key; checked to be a valid key
 * @param keyAlg     the key algorithm; {@code Ed25519} (the default when null); {@code ES256} is reserved for
 *                   hardware-backed mobile keys and refused in v1
 * @param deviceName a name the person recognises, 1 to 64 characters
 * @param platform   the app platform (e.g. {@code desktop-java}), 1 to 32 characters
 */
public record ActivationRequest(String code, String publicKey, String keyAlg, String deviceName, String platform) {

    /** The only key algorithm of protocol v1. */
    public static final String ED25519 = "Ed25519";
    /** Reserved for ECDSA P-256 keys in phone secure enclaves; not accepted in v1. */
    public static final String ES256 = "ES256";

    /** @throws ProtocolException naming the invalid field */
    public ActivationRequest {
        Fields.text("code", code, 128);
        if (keyAlg == null) {
            keyAlg = ED25519;
        } else if (keyAlg.equals(ES256)) {
            throw new ProtocolException("keyAlg",
                    "ES256 is reserved for hardware-backed keys and not supported in protocol v1; use Ed25519");
        } else if (!keyAlg.equals(ED25519)) {
            throw new ProtocolException("keyAlg", "must be Ed25519");
        }
        DevicePublicKey.parse(publicKey);
        Fields.text("deviceName", deviceName, 64);
        if (deviceName.isBlank()) {
            throw new ProtocolException("deviceName", "must not be blank");
        }
        Fields.text("platform", platform, 32);
    }

    /** The public key, parsed. */
    public DevicePublicKey devicePublicKey() {
        return DevicePublicKey.parse(publicKey);
    }

    /** The body; {@code keyAlg} is always written. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("code", code)
                .put("publicKey", publicKey)
                .put("keyAlg", keyAlg)
                .put("deviceName", deviceName)
                .put("platform", platform);
    }

    /** @throws ProtocolException for a missing, wrong-typed or invalid field */
    public static ActivationRequest fromJson(JsonObject json) {
        if (json == null) {
            throw new ProtocolException("body", "is missing");
        }
        return new ActivationRequest(
                JsonFields.string(json, "code"),
                JsonFields.string(json, "publicKey"),
                JsonFields.optionalString(json, "keyAlg"),
                JsonFields.string(json, "deviceName"),
                JsonFields.string(json, "platform"));
    }
}
