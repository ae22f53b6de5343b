package org.countersign.push.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * Refuses form and multipart bodies with 415 before the body handler sees them: no endpoint takes a form, and the
 * body handler's form decoder fails on malformed ones with exceptions that would otherwise become 500s.
 */
final class FormBodies {
    private FormBodies() {
    }

    /** Answers 415 and returns true when the request carries a form body. */
    static boolean refuse(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return false;
        }
        String type = ctx.request().getHeader("Content-Type");
        String lower = type == null ? "" : type.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("application/x-www-form-urlencoded") || lower.startsWith("multipart/")) {
            FailureHandler.send(ctx, FailureHandler.forStatus(415));
            return true;
        }
        return false;
    }
}
