package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Service to device: what became of a sign-in after the device answered.
 *
 * @param signInId the sign-in answered
 * @param state    its state, e.g. {@code approved}, {@code denied}, {@code expired} (architecture section 3.4)
 * @param reason   why it was denied ({@code user_denied}, {@code wrong_number}, {@code fraud_reported},
 *                 {@code device_removed}), or null
 */
public record ApprovalResult(String signInId, String state, String reason) implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "approval.result";

    /** @throws ProtocolException for field {@code signInId}, {@code state} or {@code reason} */
    public ApprovalResult {
        Fields.text("signInId", signInId, Fields.MAX_ID_LENGTH);
        Fields.text("state", state, Fields.MAX_ID_LENGTH);
        if (reason != null) {
            Fields.text("reason", reason, Fields.MAX_ID_LENGTH);
        }
    }

    /** A result without a reason (anything but a denial). */
    public ApprovalResult(String signInId, String state) {
        this(signInId, state, null);
    }

    /** @throws ProtocolException for a missing or wrong-typed field */
    public static ApprovalResult fromJson(JsonObject json) {
        return new ApprovalResult(JsonFields.string(json, "signInId"), JsonFields.string(json, "state"),
                JsonFields.optionalString(json, "reason"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("type", TYPE).put("signInId", signInId).put("state", state);
        if (reason != null) {
            json.put("reason", reason);
        }
        return json;
    }
}
