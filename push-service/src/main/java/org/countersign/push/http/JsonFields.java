package org.countersign.push.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.countersign.push.ApiError;

/**
 * Strict readers for admin bodies, in addition to {@link JsonBody}: optional booleans, whole numbers in a range,
 * arrays of strings, and a refusal of unknown fields (a mistyped {@code exludeUsers} must not silently exclude
 * nobody). Every error names the field.
 */
final class JsonFields {
    private JsonFields() {
    }

    static void onlyKnown(JsonObject body, Set<String> known) {
        for (String field : body.fieldNames()) {
            if (!known.contains(field)) {
                throw ApiError.badRequest("invalid_field", field + ": is not a known field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ").");
            }
        }
    }

    static Optional<Boolean> optionalBoolean(JsonObject body, String field) {
        Object value = body.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Boolean flag)) {
            throw ApiError.badRequest("invalid_field", field + ": must be true or false.");
        }
        return Optional.of(flag);
    }

    static OptionalInt optionalInt(JsonObject body, String field, int min, int max) {
        Object value = body.getValue(field);
        if (value == null) {
            return OptionalInt.empty();
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw ApiError.badRequest("invalid_field", field + ": must be a whole number from " + min + " to " + max
                    + ".");
        }
        long number = ((Number) value).longValue();
        if (number < min || number > max) {
            throw ApiError.badRequest("invalid_field", field + ": must be from " + min + " to " + max + ".");
        }
        return OptionalInt.of((int) number);
    }

    /** An array of strings, each read by {@code item} (which throws an {@code IllegalArgumentException} to refuse). */
    static <T> Optional<List<T>> optionalList(JsonObject body, String field, int maxItems, int maxLength,
                                              Function<String, T> item) {
        Object value = body.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonArray array)) {
            throw ApiError.badRequest("invalid_field", field + ": must be an array of strings.");
        }
        if (array.size() > maxItems) {
            throw ApiError.badRequest("invalid_field", field + ": at most " + maxItems + " entries.");
        }
        List<T> items = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String name = field + "[" + i + "]";
            if (!(array.getValue(i) instanceof String text)) {
                throw ApiError.badRequest("invalid_field", name + ": must be a string.");
            }
            if (text.isBlank() || text.length() > maxLength) {
                throw ApiError.badRequest("invalid_field", name + ": must be 1 to " + maxLength + " characters.");
            }
            try {
                T parsed = item.apply(text.trim());
                if (items.contains(parsed)) {
                    throw ApiError.badRequest("invalid_field", name + ": '" + text + "' is listed twice.");
                }
                items.add(parsed);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("invalid_field", name + ": " + e.getMessage());
            }
        }
        return Optional.of(items);
    }
}
