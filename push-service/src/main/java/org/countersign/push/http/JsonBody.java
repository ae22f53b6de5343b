package org.countersign.push.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.regex.Pattern;
import org.countersign.push.ApiError;

/**
 * Reads request bodies strictly: a JSON object, fields of the right type and length, no control characters.
 * Every error names the field.
 */
public final class JsonBody {
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}&&[^\\t]]");

    private JsonBody() {
    }

    /**
     * A string field of the body if the body is a JSON object that has one, else null; never throws. For naming the
     * target of a refused change, before (or without) the body being read strictly.
     */
    public static String peekString(RoutingContext ctx, String field) {
        try {
            Buffer body = ctx.body().buffer();
            Object value = body == null || body.length() == 0 ? null : Json.decodeValue(body);
            return value instanceof JsonObject object && object.getValue(field) instanceof String text ? text : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    public static JsonObject of(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiError(415, "unsupported_media_type", "Send the body as application/json.");
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            throw ApiError.badRequest("invalid_json", "The request needs a JSON object as its body.");
        }
        Object value;
        try {
            value = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiError.badRequest("invalid_json", "The body is not valid JSON.");
        }
        if (!(value instanceof JsonObject object)) {
            throw ApiError.badRequest("invalid_json", "The body must be a JSON object.");
        }
        return object;
    }

    public static String requiredString(JsonObject body, String field, int maxLength) {
        return optionalString(body, field, maxLength).orElseThrow(() -> ApiError.badRequest("invalid_field",
                field + ": is required."));
    }

    public static Optional<String> optionalString(JsonObject body, String field, int maxLength) {
        Object value = body.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw ApiError.badRequest("invalid_field", field + ": must be a string.");
        }
        if (text.isBlank()) {
            throw ApiError.badRequest("invalid_field", field + ": must not be empty.");
        }
        if (text.length() > maxLength) {
            throw ApiError.badRequest("invalid_field", field + ": must be at most " + maxLength + " characters.");
        }
        if (CONTROL.matcher(text).find()) {
            throw ApiError.badRequest("invalid_field", field + ": must not contain control characters.");
        }
        return Optional.of(text);
    }

    public static boolean optionalBoolean(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean flag)) {
            throw ApiError.badRequest("invalid_field", field + ": must be true or false.");
        }
        return flag;
    }
}
