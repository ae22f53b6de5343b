package org.countersign.push.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import org.countersign.push.ApiError;

/**
 * Requests the HTTP decoder could not read (an over-long request line or headers, a malformed request) never reach
 * the router. They get the status Vert.x would give them, but with the JSON error body of every other refusal
 * rather than an empty one and a Date (from the system clock: these never reach the router and its injected one),
 * and the connection is closed as the request cannot be trusted to have ended.
 */
public final class InvalidRequests {
    private InvalidRequests() {
    }

    public static void answer(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ApiError error;
        if (cause instanceof TooLongHttpLineException) {
            error = new ApiError(414, "uri_too_long", "The request line is too long.");
        } else if (cause instanceof TooLongHttpHeaderException) {
            error = new ApiError(431, "headers_too_large", "The request headers are too large.");
        } else {
            error = ApiError.badRequest("bad_request", "The request is not valid HTTP.");
        }
        request.response().setStatusCode(error.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Connection", "close")
                .putHeader("Date", ApiRouter.HTTP_DATE.format(Instant.now()))
                .end(error.toJson().encode())
                .onComplete(done -> request.connection().close());
    }
}
