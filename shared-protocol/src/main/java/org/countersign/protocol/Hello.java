package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Service to device, first frame on a channel: the nonce the device signs (with {@link SignedPayloads#channelLogin})
 * to log in.
 *
 * @param nonce a fresh random value, 1 to 512 characters, no control characters
 */
public record Hello(String nonce) implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "hello";

    /** @throws ProtocolException for field {@code nonce} */
    public Hello {
        Fields.text("nonce", nonce, Fields.MAX_TOKEN_LENGTH);
    }

    /** @throws ProtocolException for a missing or wrong-typed field */
    public static Hello fromJson(JsonObject json) {
        return new Hello(JsonFields.string(json, "nonce"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return new JsonObject().put("type", TYPE).put("nonce", nonce);
    }
}
