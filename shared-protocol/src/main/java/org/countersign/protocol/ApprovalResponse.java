package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Device to service: the person's answer to an {@link ApprovalRequest}, signed by the device. The same body is
 * accepted over the channel and by {@code POST /api/v1/sign-ins/{id}/response}.
 *
 * <p>The signature covers {@link SignedPayloads#approval}; the verifier rebuilds that payload from its own records
 * (the sign-in id it issued, the device id it knows) and the decision and number received here.
 *
 * @param signInId  the sign-in answered
 * @param deviceId  the answering device
 * @param decision  approve, deny or fraud
 * @param number    the number the person typed, 2 to 8 ASCII digits; required to approve, may be null otherwise
 * @param signature base64url Ed25519 signature; only its presence is checked here
 */
public record ApprovalResponse(String signInId, String deviceId, Decision decision, String number, String signature)
        implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "approval.response";

    /** @throws ProtocolException naming the invalid field */
    public ApprovalResponse {
        Fields.text("signInId", signInId, Fields.MAX_ID_LENGTH);
        Fields.text("deviceId", deviceId, Fields.MAX_ID_LENGTH);
        if (decision == null) {
            throw new ProtocolException("decision", "is missing");
        }
        if (number != null) {
            Fields.number("number", number);
        } else if (decision == Decision.APPROVE) {
            throw new ProtocolException("number", "is required to approve");
        }
        Fields.text("signature", signature, Fields.MAX_TOKEN_LENGTH);
    }

    /**
     * Signs an answer with the device key.
     *
     * @throws ProtocolException naming the invalid field
     */
    public static ApprovalResponse sign(String signInId, String deviceId, Decision decision, String number,
                                        DeviceSigner signer) {
        String signature = signer.signBase64Url(SignedPayloads.approval(signInId, deviceId, decision, number));
        return new ApprovalResponse(signInId, deviceId, decision, number, signature);
    }

    /**
     * Reads the channel frame or the HTTP body ({@code type} is not required here). {@code number} may be a JSON
     * string or a JSON integer (an integer cannot carry leading zeros, so senders should use a string); JSON null
     * means absent.
     *
     * @throws ProtocolException for a missing, wrong-typed or invalid field
     */
    public static ApprovalResponse fromJson(JsonObject json) {
        if (json == null) {
            throw new ProtocolException("body", "is missing");
        }
        return new ApprovalResponse(
                JsonFields.string(json, "signInId"),
                JsonFields.string(json, "deviceId"),
                Decision.fromWire(JsonFields.string(json, "decision")),
                number(json),
                JsonFields.string(json, "signature"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The frame; {@code number} is written as a string and omitted when null. */
    @Override
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", TYPE)
                .put("signInId", signInId)
                .put("deviceId", deviceId)
                .put("decision", decision.wire());
        if (number != null) {
            json.put("number", number);
        }
        return json.put("signature", signature);
    }

    private static String number(JsonObject json) {
        Object value = json.getValue("number");
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        throw new ProtocolException("number", "must be a string or an integer, was " + JsonFields.jsonType(value));
    }
}
