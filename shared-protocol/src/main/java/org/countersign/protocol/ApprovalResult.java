package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Service to device: what became of a sign-in after the device answered.
 *
 * @param signInId the sign-in answered
 * @param state    its state, e.g. {@code approved}, {@code denied}, {@code expired} (architecture section 3.4)
 */
public record ApprovalResult(String signInId, String state) implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "approval.result";

    /** @throws ProtocolException for field {@code signInId} or {@code state} */
    public ApprovalResult {
        Fields.text("signInId", signInId, Fields.MAX_ID_LENGTH);
        Fields.text("state", state, Fields.MAX_ID_LENGTH);
    }

    /** @throws ProtocolException for a missing or wrong-typed field */
    public static ApprovalResult fromJson(JsonObject json) {
        return new ApprovalResult(JsonFields.string(json, "signInId"), JsonFields.string(json, "state"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return new JsonObject().put("type", TYPE).put("signInId", signInId).put("state", state);
    }
}
