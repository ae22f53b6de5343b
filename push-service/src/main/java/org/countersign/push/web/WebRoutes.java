package org.countersign.push.web;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.countersign.push.ApiError;
import org.countersign.push.crypto.CsrfTokens;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.Session;
import org.countersign.push.domain.Settings;
import org.countersign.push.http.AdmissionControl;
import org.countersign.push.http.JsonBody;
import org.countersign.push.signin.BrowserSignIns;
import org.countersign.push.signin.SessionService;
import org.countersign.push.signin.SignInRequest;
import org.countersign.push.signin.SignInResult;
import org.countersign.push.signin.SignInResults;
import org.countersign.push.store.SettingsStore;

/**
 * {@code /web}: the JSON endpoints of the pages (docs/web-sessions.md). A page never sees a token: sessions,
 * remember tokens and the sign-in binding travel in {@link SessionCookies}. Every POST must be
 * {@code application/json}, which a cross-site form cannot send, so a page cannot be signed in from elsewhere.
 */
public final class WebRoutes {
    /** The app name a page sign-in shows on the phone. */
    public static final String APP = "Countersign web";
    private static final Pattern DIGITS = Pattern.compile("[0-9]{6,8}");
    private static final Pattern WAIT = Pattern.compile("[0-9]{1,2}");

    private final BrowserSignIns signIns;
    private final SessionService sessions;
    private final SettingsStore settings;
    private final Pool pool;
    private final CsrfTokens csrf;
    private final SessionCookies cookies;
    private final Clock clock;

    public WebRoutes(BrowserSignIns signIns, SessionService sessions, SettingsStore settings, Pool pool,
                     CsrfTokens csrf, SessionCookies cookies, Clock clock) {
        this.signIns = Objects.requireNonNull(signIns);
        this.sessions = Objects.requireNonNull(sessions);
        this.settings = Objects.requireNonNull(settings);
        this.pool = Objects.requireNonNull(pool);
        this.csrf = Objects.requireNonNull(csrf);
        this.cookies = Objects.requireNonNull(cookies);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Starting a sign-in is new work (shed while the node is overloaded); what follows it is not. */
    public void mount(Router router, AdmissionControl admission) {
        router.post("/web/*").handler(WebRoutes::requireJson);
        admission.newWork(router, "/web/sign-in").handler(AdmissionControl.hashesAPassword())
                .respond(this::start);
        router.get("/web/sign-in/status").respond(this::status);
        router.post("/web/sign-in/totp").respond(this::totp);
        router.post("/web/sign-in/retry").respond(this::retry);
        router.post("/web/sign-in/remember").respond(this::remember);
        router.get("/web/session").respond(this::session);
        router.post("/web/sign-out").respond(this::signOut);
    }

    private static void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            ctx.fail(new ApiError(415, "unsupported_media_type", "Send the body as application/json."));
            return;
        }
        ctx.next();
    }

    private Future<JsonObject> start(RoutingContext ctx) {
        JsonObject body = JsonBody.of(ctx);
        String binding = signIns.newBinding();
        // the client address is the TCP peer: X-Forwarded-For is not trusted without a trusted-proxy setting
        SignInRequest request = new SignInRequest(
                JsonBody.requiredString(body, "username", 128),
                JsonBody.requiredString(body, "password", 1024),
                APP,
                Optional.of(ctx.request().remoteAddress().hostAddress()),
                Optional.empty(),
                SessionCookies.read(ctx, SessionCookies.REMEMBER),
                JsonBody.optionalBoolean(body, "rememberDevice"));
        return signIns.start(request, binding)
                .compose(result -> settings.get(pool).map(current -> {
                    if (result.sessionToken().isEmpty()) {
                        cookies.setPending(ctx, binding);
                    }
                    return deliver(ctx, result, current);
                }));
    }

    private Future<JsonObject> status(RoutingContext ctx) {
        String wait = ctx.queryParams().get("waitSeconds");
        if (wait != null && !WAIT.matcher(wait).matches()) {
            throw ApiError.badRequest("invalid_field", "waitSeconds must be a whole number from 0 to "
                    + SignInResults.MAX_WAIT_SECONDS + ".");
        }
        return signIns.status(pending(ctx), wait == null ? 0 : Integer.parseInt(wait))
                .compose(result -> settings.get(pool).map(current -> deliver(ctx, result, current)));
    }

    private Future<JsonObject> totp(RoutingContext ctx) {
        JsonObject body = JsonBody.of(ctx);
        String code = JsonBody.requiredString(body, "code", 16).replace(" ", "");
        if (!DIGITS.matcher(code).matches()) {
            throw ApiError.badRequest("invalid_field", "Enter the 6-digit code shown in your Authenticator app.");
        }
        return signIns.totp(pending(ctx), code, JsonBody.optionalBoolean(body, "rememberDevice"))
                .compose(result -> settings.get(pool).map(current -> deliver(ctx, result, current)));
    }

    private Future<JsonObject> retry(RoutingContext ctx) {
        return signIns.retry(pending(ctx))
                .compose(result -> settings.get(pool).map(current -> deliver(ctx, result, current)));
    }

    private Future<JsonObject> remember(RoutingContext ctx) {
        boolean remember = JsonBody.optionalBoolean(JsonBody.of(ctx), "rememberDevice");
        return signIns.remember(pending(ctx), remember)
                .map(ignored -> new JsonObject().put("rememberDevice", remember));
    }

    /** What the page scripts need to know about the person; the CSRF token only to this origin's scripts. */
    private Future<JsonObject> session(RoutingContext ctx) {
        Optional<String> token = SessionCookies.read(ctx, SessionCookies.SESSION);
        if (token.isEmpty()) {
            return Future.succeededFuture(new JsonObject().put("signedIn", false));
        }
        return sessions.authenticateToken(token.get())
                .compose(session -> settings.get(pool).map(current -> sessionJson(session, current, token.get())))
                .recover(failure -> {
                    if (failure instanceof ApiError error && error.status() == 401) {
                        cookies.clearSession(ctx);
                        return Future.succeededFuture(new JsonObject().put("signedIn", false));
                    }
                    return Future.failedFuture(failure);
                });
    }

    private JsonObject sessionJson(Session session, Settings current, String token) {
        return new JsonObject()
                .put("signedIn", true)
                .put("username", session.user().username())
                .put("displayName", session.user().displayName())
                .put("role", session.user().role().wire())
                .put("scope", session.scope().wire())
                .put("mfaCompleted", session.mfaCompleted())
                .put("csrfToken", csrf.forSession(token))
                .put("appPasswordsAllowed", current.appPasswordsAllowed())
                .put("rememberMfaDays", current.rememberMfaDays());
    }

    /** Ends this browser's session; "don't ask again" stays, as sign-out everywhere is what revokes it. */
    private Future<JsonObject> signOut(RoutingContext ctx) {
        Optional<String> token = SessionCookies.read(ctx, SessionCookies.SESSION);
        if (token.isPresent() && !csrf.matches(token.get(), ctx.request().getHeader("X-CSRF-Token"))) {
            throw new ApiError(403, "csrf_failed", "This page is out of date. Reload it and try again.");
        }
        cookies.clearSession(ctx);
        cookies.clearPending(ctx);
        return sessions.revoke(token.orElse(null)).map(ignored -> new JsonObject().put("signedIn", false));
    }

    private static String pending(RoutingContext ctx) {
        return SessionCookies.read(ctx, SessionCookies.PENDING).orElseThrow(() -> new ApiError(404, "no_sign_in",
                "There is no sign-in in progress in this browser. Sign in with your password."));
    }

    /**
     * Moves the tokens of a result into cookies (a new session replaces and ends this browser's previous one) and
     * answers what the page shows: never a token.
     */
    private JsonObject deliver(RoutingContext ctx, SignInResult result, Settings current) {
        result.sessionToken().ifPresent(token -> {
            SessionCookies.read(ctx, SessionCookies.SESSION).ifPresent(sessions::revoke);
            cookies.setSession(ctx, token);
            cookies.clearPending(ctx);
        });
        result.rememberToken().ifPresent(token -> cookies.setRemember(ctx, token, current.rememberMfaDays()));
        JsonObject json = new JsonObject().put("state", result.state().wire());
        result.reason().map(DenialReason::wire).ifPresent(reason -> json.put("reason", reason));
        result.number().ifPresent(number -> json.put("number", number));
        result.expiresAt().ifPresent(at -> json.put("expiresAt", at.toString())
                .put("secondsLeft", Math.max(0, Duration.between(clock.instant(), at).toSeconds())));
        if (!result.methods().isEmpty()) {
            json.put("methods", result.methods());
        }
        result.skippable().ifPresent(skippable -> json.put("skippable", skippable));
        result.daysLeft().ifPresent(days -> json.put("daysLeft", days));
        result.pushSuppressed().ifPresent(why -> json.put("pushSuppressed", why));
        return json.put("app", APP).put("rememberMfaDays", current.rememberMfaDays());
    }
}
