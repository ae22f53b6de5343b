package org.countersign.protocol;

import io.vertx.core.json.JsonObject;

/** Service to device: the login signature was valid and approval requests will follow on this channel. */
public record Ready() implements ChannelMessage {

    /** The {@code type} of this frame. */
    public static final String TYPE = "ready";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonObject toJson() {
        return new JsonObject().put("type", TYPE);
    }
}
