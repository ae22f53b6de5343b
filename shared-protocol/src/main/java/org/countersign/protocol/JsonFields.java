package org.countersign.protocol;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Typed reads from a JSON object that fail with a {@link ProtocolException} naming the field. */
final class JsonFields {

    private JsonFields() {
    }

    static String string(JsonObject json, String field) {
        String value = optionalString(json, field);
        if (value == null) {
            throw new ProtocolException(field, "is missing");
        }
        return value;
    }

    /** Null when absent or JSON null. */
    static String optionalString(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new ProtocolException(field, "must be a string, was " + jsonType(value));
        }
        return text;
    }

    static Instant instant(JsonObject json, String field) {
        String text = string(json, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ProtocolException(field, "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
    }

    static JsonObject object(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw new ProtocolException(field, "is missing");
        }
        if (!(value instanceof JsonObject object)) {
            throw new ProtocolException(field, "must be an object, was " + jsonType(value));
        }
        return object;
    }

    static int integer(JsonObject json, String field) {
        Object value = json.getValue(field);
        if (value == null) {
            throw new ProtocolException(field, "is missing");
        }
        if (!(value instanceof Integer number)) {
            throw new ProtocolException(field, "must be a whole number, was " + jsonType(value));
        }
        return number;
    }

    static String jsonType(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        return value instanceof io.vertx.core.json.JsonArray ? "an array" : "a " + value.getClass().getSimpleName();
    }
}
