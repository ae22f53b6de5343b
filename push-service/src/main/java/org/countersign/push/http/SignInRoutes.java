package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.countersign.protocol.ApprovalResponse;
import org.countersign.push.ApiError;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.signin.ApprovalService;
import org.countersign.push.signin.SignInRequest;
import org.countersign.push.signin.SignInResult;
import org.countersign.push.signin.SignInResults;
import org.countersign.push.signin.SignInService;
import org.countersign.push.signin.TotpService;

/** {@code /api/v1/sign-ins}: start a sign-in, read its result (long poll), answer with TOTP or a signed response. */
final class SignInRoutes {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{6,8}");
    private static final Pattern WAIT = Pattern.compile("[0-9]{1,3}");

    private final SignInService signIns;
    private final SignInResults results;
    private final TotpService totp;
    private final ApprovalService approvals;
    private final AdmissionControl admission;

    SignInRoutes(SignInService signIns, SignInResults results, TotpService totp, ApprovalService approvals,
                 AdmissionControl admission) {
        this.signIns = Objects.requireNonNull(signIns);
        this.results = Objects.requireNonNull(results);
        this.totp = Objects.requireNonNull(totp);
        this.approvals = Objects.requireNonNull(approvals);
        this.admission = Objects.requireNonNull(admission);
    }

    /** Starting a sign-in is new work, shed while the node is overloaded; its result, code and answer are not. */
    void mount(Router router) {
        admission.newWork(router, "/api/v1/sign-ins").handler(AdmissionControl.hashesAPassword())
                .respond(this::start);
        router.get("/api/v1/sign-ins/:id").respond(this::read);
        router.post("/api/v1/sign-ins/:id/totp").respond(this::totp);
        router.post("/api/v1/sign-ins/:id/response").respond(this::response);
    }

    private Future<JsonObject> start(RoutingContext ctx) {
        JsonObject body = JsonBody.of(ctx);
        SignInRequest request = new SignInRequest(
                JsonBody.requiredString(body, "username", 128),
                JsonBody.requiredString(body, "password", 1024),
                JsonBody.requiredString(body, "app", 128),
                JsonBody.optionalString(body, "ip", 64),
                JsonBody.optionalString(body, "location", 128),
                JsonBody.optionalString(body, "rememberToken", 200),
                JsonBody.optionalBoolean(body, "rememberDevice"));
        if (request.ip().isPresent() && IpNetwork.parseAddress(request.ip().get()).isEmpty()) {
            throw ApiError.badRequest("invalid_field", SignInService.INVALID_IP);
        }
        // failures count against the ip of the body when given, else the TCP peer (X-Forwarded-For is not trusted)
        return signIns.start(request, null, Optional.of(ctx.request().remoteAddress().hostAddress()))
                .map(SignInRoutes::toJson);
    }

    private Future<JsonObject> read(RoutingContext ctx) {
        UUID id = Ids.parse(ctx.pathParam("id"), "That sign-in");
        String wait = ctx.queryParams().get("waitSeconds");
        if (wait != null && !WAIT.matcher(wait).matches()) {
            throw ApiError.badRequest("invalid_field", "waitSeconds must be a whole number from 0 to "
                    + SignInResults.MAX_WAIT_SECONDS + ".");
        }
        return results.read(id, wait == null ? 0 : Integer.parseInt(wait)).map(SignInRoutes::toJson);
    }

    private Future<JsonObject> totp(RoutingContext ctx) {
        UUID id = Ids.parse(ctx.pathParam("id"), "That sign-in");
        JsonObject body = JsonBody.of(ctx);
        String code = JsonBody.requiredString(body, "code", 16).replace(" ", "");
        if (!DIGITS.matcher(code).matches()) {
            throw ApiError.badRequest("invalid_field", "code: must be the 6 to 8 digits shown in the app.");
        }
        return totp.verify(id, code, JsonBody.optionalBoolean(body, "rememberDevice")).map(SignInRoutes::toJson);
    }

    private Future<JsonObject> response(RoutingContext ctx) {
        UUID id = Ids.parse(ctx.pathParam("id"), "That sign-in");
        ApprovalResponse response = ApprovalResponse.fromJson(JsonBody.of(ctx));
        return approvals.respond(id, response, Optional.empty())
                .map(result -> {
                    JsonObject json = new JsonObject().put("signInId", result.signInId()).put("state", result.state());
                    return result.reason() == null ? json : json.put("reason", result.reason());
                });
    }

    static JsonObject toJson(SignInResult result) {
        JsonObject json = new JsonObject()
                .put("signInId", result.signIn().id().toString())
                .put("state", result.state().wire());
        result.reason().map(DenialReason::wire).ifPresent(reason -> json.put("reason", reason));
        result.number().ifPresent(number -> json.put("number", number));
        result.expiresAt().ifPresent(at -> json.put("expiresAt", at.toString()));
        if (!result.methods().isEmpty() || result.skippable().isPresent()) {
            json.put("methods", result.methods());
        }
        result.sessionToken().ifPresent(token -> json.put("sessionToken", token));
        result.rememberToken().ifPresent(token -> json.put("rememberToken", token));
        result.skippable().ifPresent(skippable -> json.put("skippable", skippable));
        result.daysLeft().ifPresent(days -> json.put("daysLeft", days));
        result.pushSuppressed().ifPresent(why -> json.put("pushSuppressed", why));
        return json;
    }
}
