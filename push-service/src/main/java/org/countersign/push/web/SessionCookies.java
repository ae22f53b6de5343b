package org.countersign.push.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The three cookies of a page (docs/web-sessions.md), all {@code HttpOnly; SameSite=Strict}, plus {@code Secure}
 * when the service's public URL is https: {@value #SESSION} (the session, ends with the browser),
 * {@value #REMEMBER} ("don't ask again", N days) and {@value #PENDING} (binds a sign-in in progress to this
 * browser, ten minutes, sent only to {@value #PENDING_PATH}).
 */
public final class SessionCookies {
    public static final String SESSION = "cs_session";
    public static final String REMEMBER = "cs_remember";
    public static final String PENDING = "cs_pending";
    public static final String PENDING_PATH = "/web/sign-in";
    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    /** Tokens are 43 characters; anything much longer is not ours and is not looked up. */
    private static final int MAX_VALUE = 200;

    private final boolean secure;

    public SessionCookies(URI publicUrl) {
        this.secure = "https".equalsIgnoreCase(publicUrl.getScheme());
    }

    /** The value of one of our cookies, when the browser sent a plausible one. */
    public static Optional<String> read(RoutingContext ctx, String name) {
        Cookie cookie = ctx.request().getCookie(name);
        if (cookie == null || cookie.getValue() == null || cookie.getValue().isEmpty()
                || cookie.getValue().length() > MAX_VALUE) {
            return Optional.empty();
        }
        return Optional.of(cookie.getValue());
    }

    void setSession(RoutingContext ctx, String token) {
        ctx.response().addCookie(cookie(SESSION, token, "/"));
    }

    void setRemember(RoutingContext ctx, String token, int days) {
        ctx.response().addCookie(cookie(REMEMBER, token, "/").setMaxAge(Duration.ofDays(days).toSeconds()));
    }

    void setPending(RoutingContext ctx, String token) {
        ctx.response().addCookie(cookie(PENDING, token, PENDING_PATH).setMaxAge(PENDING_LIFETIME.toSeconds()));
    }

    void clearSession(RoutingContext ctx) {
        ctx.response().addCookie(cookie(SESSION, "", "/").setMaxAge(0));
    }

    void clearPending(RoutingContext ctx) {
        ctx.response().addCookie(cookie(PENDING, "", PENDING_PATH).setMaxAge(0));
    }

    private Cookie cookie(String name, String value, String path) {
        return Cookie.cookie(name, value).setPath(path).setHttpOnly(true).setSecure(secure)
                .setSameSite(CookieSameSite.STRICT);
    }
}
