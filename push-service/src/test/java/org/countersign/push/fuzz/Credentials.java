package org.countersign.push.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The credentials the fuzzer sends: none, broken ones, and real sessions of an admin and of a user (as Bearer
 * tokens, and the admin's as a page cookie with and without its CSRF token).
 */
record Credentials(String adminToken, String userToken, String csrfToken) {

    enum Kind { NONE, GARBAGE_BEARER, ADMIN_BEARER, USER_BEARER, COOKIE_WITH_CSRF, COOKIE_WITHOUT_CSRF, BAD_BASIC }

    /** Kinds that present a valid session. */
    static boolean isValid(Kind kind) {
        return kind == Kind.ADMIN_BEARER || kind == Kind.USER_BEARER || kind == Kind.COOKIE_WITH_CSRF;
    }

    void addTo(Kind kind, Map<String, String> headers, String garbage) {
        switch (kind) {
            case NONE -> { }
            case GARBAGE_BEARER -> headers.put("Authorization", "Bearer " + garbage);
            case ADMIN_BEARER -> headers.put("Authorization", "Bearer " + adminToken);
            case USER_BEARER -> headers.put("Authorization", "Bearer " + userToken);
            case COOKIE_WITH_CSRF -> {
                headers.put("Cookie", "cs_session=" + adminToken);
                headers.put("X-CSRF-Token", csrfToken);
            }
            case COOKIE_WITHOUT_CSRF -> headers.put("Cookie", "cs_session=" + adminToken);
            // not base64, or base64 of text without the ':' between user and password
            case BAD_BASIC -> headers.put("Authorization", "Basic " + (garbage.length() % 2 == 0 ? "!" + garbage
                    : Base64.getEncoder().encodeToString(garbage.replace(":", "").getBytes(StandardCharsets.UTF_8))));
            default -> throw new IllegalStateException(kind.toString());
        }
    }
}
