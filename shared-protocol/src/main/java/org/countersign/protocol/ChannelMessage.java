package org.countersign.protocol;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * One JSON text frame on a device's push channel (architecture section 3.3). Every frame is an object whose
 * {@code type} names the variant; unknown extra fields are ignored so that later versions can add some.
 */
public sealed interface ChannelMessage permits Hello, Login, Ready, ApprovalRequest, ApprovalResponse, ApprovalResult,
        ChannelError, DeviceAdded {

    /** The largest frame, in UTF-8 bytes, that {@link #parse} reads. */
    int MAX_FRAME_BYTES = 16 * 1024;

    /** The {@code type} field, e.g. {@code approval.request}. */
    String type();

    /** The frame as JSON, {@code type} included. */
    JsonObject toJson();

    /** The frame as JSON text. */
    default String encode() {
        return toJson().encode();
    }

    /**
     * Parses one frame.
     *
     * @throws ProtocolException and never another exception, naming {@code frame} for text that is missing, over
     *                           {@value #MAX_FRAME_BYTES} bytes, not JSON or not a JSON object, {@code type} for a
     *                           missing or unknown type, and the field for a missing or wrong-typed field
     */
    static ChannelMessage parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new ProtocolException("frame", "is empty");
        }
        if (text.length() > MAX_FRAME_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_FRAME_BYTES) {
            throw new ProtocolException("frame", "is larger than " + MAX_FRAME_BYTES + " bytes");
        }
        Object decoded;
        try {
            decoded = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new ProtocolException("frame", "is not valid JSON");
        } catch (RuntimeException e) {
            throw new ProtocolException("frame", "is not valid JSON", e);
        }
        if (!(decoded instanceof JsonObject json)) {
            throw new ProtocolException("frame", "must be a JSON object");
        }
        return fromJson(json);
    }

    /**
     * Reads a frame already decoded as JSON.
     *
     * @throws ProtocolException as {@link #parse}
     */
    static ChannelMessage fromJson(JsonObject json) {
        String type = JsonFields.string(json, "type");
        return switch (type) {
            case Hello.TYPE -> Hello.fromJson(json);
            case Login.TYPE -> Login.fromJson(json);
            case Ready.TYPE -> new Ready();
            case ApprovalRequest.TYPE -> ApprovalRequest.fromJson(json);
            case ApprovalResponse.TYPE -> ApprovalResponse.fromJson(json);
            case ApprovalResult.TYPE -> ApprovalResult.fromJson(json);
            case ChannelError.TYPE -> ChannelError.fromJson(json);
            case DeviceAdded.TYPE -> DeviceAdded.fromJson(json);
            default -> throw new ProtocolException("type", "unknown message type '" + printable(type) + "'");
        };
    }

    private static String printable(String text) {
        String shortened = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
