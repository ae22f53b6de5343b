package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Service to device: a frame the service could not act on, with a machine-readable code and a human sentence
 * (the same pair the HTTP API answers with). The channel stays open.
 *
 * @param signInId the sign-in the refused frame named, or null when it named none
 * @param error    machine-readable code, e.g. {@code invalid_signature}, {@code already_decided}
 * @param message  a human sentence saying what went wrong
 */
public record ChannelError(String signInId, String error, String message) implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "error";

    /** @throws ProtocolException for field {@code signInId}, {@code error} or {@code message} */
    public ChannelError {
        if (signInId != null) {
            Fields.text("signInId", signInId, Fields.MAX_ID_LENGTH);
        }
        Fields.text("error", error, Fields.MAX_ID_LENGTH);
        Fields.text("message", message, 1024);
    }

    /** @throws ProtocolException for a missing or wrong-typed field */
    public static ChannelError fromJson(JsonObject json) {
        return new ChannelError(JsonFields.optionalString(json, "signInId"), JsonFields.string(json, "error"),
                JsonFields.string(json, "message"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("type", TYPE).put("error", error).put("message", message);
        if (signInId != null) {
            json.put("signInId", signInId);
        }
        return json;
    }
}
