package org.countersign.push;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The one error type of the service: a machine-readable code, the HTTP status and a human sentence. Raised
 * anywhere (usually as a failed future) and turned into {@code {"error","message"}} by one failure handler.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final long retryAfterSeconds;

    public ApiError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    /** An error whose answer carries {@code Retry-After: retryAfterSeconds} (when positive). */
    public ApiError(int status, String code, String message, long retryAfterSeconds) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.retryAfterSeconds = Math.max(0, retryAfterSeconds);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** Seconds the client should wait before trying again, or 0 when the answer names no wait. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public JsonObject toJson() {
        return new JsonObject().put("error", code).put("message", getMessage());
    }

    public static ApiError badRequest(String code, String message) {
        return new ApiError(400, code, message);
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " does not exist.");
    }

    public static ApiError unauthenticated(String message) {
        return new ApiError(401, "unauthenticated", message);
    }

    public static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message);
    }

    public static ApiError conflict(String code, String message) {
        return new ApiError(409, code, message);
    }
}
