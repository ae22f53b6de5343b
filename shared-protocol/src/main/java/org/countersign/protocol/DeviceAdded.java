package org.countersign.protocol;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Service to device: a new device was added to this person's account. Sent to the person's other verified devices
 * so that someone who registered a device with a stolen password and MFA is noticed by the real owner
 * (architecture section 2.1).
 *
 * @param deviceName the name the new device gave itself
 * @param platform   the platform it declared
 * @param addedAt    when it was activated (ISO-8601 in JSON)
 */
public record DeviceAdded(String deviceName, String platform, Instant addedAt) implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "device.added";

    /** @throws ProtocolException naming the invalid field */
    public DeviceAdded {
        Fields.text("deviceName", deviceName, Fields.MAX_NAME_LENGTH);
        Fields.text("platform", platform, Fields.MAX_NAME_LENGTH);
        if (addedAt == null) {
            throw new ProtocolException("addedAt", "is missing");
        }
    }

    /** @throws ProtocolException for a missing, wrong-typed or invalid field */
    public static DeviceAdded fromJson(JsonObject json) {
        return new DeviceAdded(JsonFields.string(json, "deviceName"), JsonFields.string(json, "platform"),
                JsonFields.instant(json, "addedAt"));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return new JsonObject().put("type", TYPE).put("deviceName", deviceName).put("platform", platform)
                .put("addedAt", addedAt.toString());
    }
}
