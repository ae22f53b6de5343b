package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Device to service, the answer to {@link Hello}: the device's signature of
 * {@link SignedPayloads#channelLogin(String, String)} for its device id and the nonce.
 *
 * @param signature base64url Ed25519 signature; only its presence is checked here, the service verifies it
 */
public record Login(String signature) implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "login";

    /** @throws ProtocolException for field {@code signature} */
    public Login {
        Fields.text("signature", signature, Fields.MAX_TOKEN_LENGTH);
    }

    /** @throws ProtocolException for a missing or wrong-typed field */
    public static Login fromJson(JsonObject json) {
        return new Login(JsonFields.string(json, "signature"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return new JsonObject().put("type", TYPE).put("signature", signature);
    }
}
