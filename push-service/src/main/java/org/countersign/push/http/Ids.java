package org.countersign.push.http;

import java.util.UUID;
import java.util.regex.Pattern;
import org.countersign.push.ApiError;

/** Path ids: anything that is not one of our ids is simply not found. */
final class Ids {
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    static UUID parse(String text, String what) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiError.notFound(what);
        }
        return UUID.fromString(text);
    }
}
