package org.countersign.protocol;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Service to device: please approve or deny this sign-in. The device shows user, app, ip and location and asks the
 * person to type the number on the sign-in screen.
 *
 * @param signInId  the sign-in to answer
 * @param kind      a real sign-in or the registration test push
 * @param user      the username signing in
 * @param app       the application being signed in to
 * @param ip        the sign-in's client address, or null when unknown (omitted from JSON)
 * @param location  a coarse location, or null when unknown (omitted from JSON)
 * @param createdAt when the sign-in started (ISO-8601 in JSON)
 * @param expiresAt when it expires; not before {@code createdAt}
 */
public record ApprovalRequest(String signInId, SignInKind kind, String user, String app, String ip, String location,
                              Instant createdAt, Instant expiresAt) implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "approval.request";

    /** @throws ProtocolException naming the invalid field */
    public ApprovalRequest {
        Fields.text("signInId", signInId, Fields.MAX_ID_LENGTH);
        if (kind == null) {
            throw new ProtocolException("kind", "is missing");
        }
        Fields.text("user", user, Fields.MAX_NAME_LENGTH);
        Fields.text("app", app, Fields.MAX_NAME_LENGTH);
        Fields.optionalText("ip", ip, Fields.MAX_NAME_LENGTH);
        Fields.optionalText("location", location, Fields.MAX_NAME_LENGTH);
        if (createdAt == null) {
            throw new ProtocolException("createdAt", "is missing");
        }
        if (expiresAt == null) {
            throw new ProtocolException("expiresAt", "is missing");
        }
        if (expiresAt.isBefore(createdAt)) {
            throw new ProtocolException("expiresAt", "must not be before createdAt");
        }
    }

    /** @throws ProtocolException for a missing, wrong-typed or invalid field */
    public static ApprovalRequest fromJson(JsonObject json) {
        return new ApprovalRequest(
                JsonFields.string(json, "signInId"),
                SignInKind.fromWire(JsonFields.string(json, "kind")),
                JsonFields.string(json, "user"),
                JsonFields.string(json, "app"),
                JsonFields.optionalString(json, "ip"),
                JsonFields.optionalString(json, "location"),
                JsonFields.instant(json, "createdAt"),
                JsonFields.instant(json, "expiresAt"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("type", TYPE)
                .put("signInId", signInId)
                .put("kind", kind.wire())
                .put("user", user)
                .put("app", app);
        if (ip != null) {
            json.put("ip", ip);
        }
        if (location != null) {
            json.put("location", location);
        }
        return json.put("createdAt", createdAt.toString()).put("expiresAt", expiresAt.toString());
    }
}
