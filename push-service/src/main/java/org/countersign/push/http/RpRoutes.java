package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.countersign.push.ApiError;
import org.countersign.push.domain.DenialReason;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.RpClient;
import org.countersign.push.rp.CheckRequest;
import org.countersign.push.rp.RelyingParties;
import org.countersign.push.rp.RpClients;
import org.countersign.push.signin.PushFatigue;
import org.countersign.push.signin.SignInResult;
import org.countersign.push.signin.SignInResults;
import org.countersign.push.signin.SignInService;

/**
 * The second-factor API for relying parties ({@code /api/v1/rp/checks}, HTTP Basic with the client's id and
 * secret) and its administration ({@code /api/v1/admin/rp-clients}, admins only). A check's answer never carries a
 * session token: the relying party signs the person in itself.
 */
final class RpRoutes {
    private static final Pattern DIGITS = Pattern.compile("[0-9]{6,8}");
    private static final Pattern WAIT = Pattern.compile("[0-9]{1,3}");
    private static final Pattern CLIENT_ID = Pattern.compile("rp_[A-Za-z0-9_-]{1,64}");
    private static final Set<String> CHECK_FIELDS = Set.of("username", "factor", "code", "app", "ip", "location");
    private static final Set<String> CLIENT_FIELDS = Set.of("name", "ratePerSecond");

    private final RelyingParties rp;
    private final Authentication authentication;
    private final AdmissionControl admission;

    RpRoutes(RelyingParties rp, Authentication authentication, AdmissionControl admission) {
        this.rp = Objects.requireNonNull(rp);
        this.authentication = Objects.requireNonNull(authentication);
        this.admission = Objects.requireNonNull(admission);
    }

    /** Starting a check is new work, shed while the node is overloaded (before the client is authenticated). */
    void mount(Router router) {
        admission.newWork(router, "/api/v1/rp/checks").respond(this::startCheck);
        router.get("/api/v1/rp/checks/:id").respond(this::readCheck);
        router.post("/api/v1/admin/rp-clients").respond(this::createClient);
        router.get("/api/v1/admin/rp-clients").respond(this::listClients);
        router.delete("/api/v1/admin/rp-clients/:clientId").respond(this::revokeClient);
    }

    /** Authenticates the client first, so that only a client learns what is wrong with a body. */
    private Future<JsonObject> startCheck(RoutingContext ctx) {
        return rp.authenticator().authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).compose(client -> {
            CheckRequest request = checkRequest(JsonBody.of(ctx));
            Optional<Duration> wait = rp.rateLimits().take(client.id(), client.ratePerSecond());
            if (wait.isPresent()) {
                long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
                ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                return Future.failedFuture(new ApiError(429, "rate_limited", "This client may start "
                        + client.ratePerSecond() + " checks per second. Try again in " + seconds + " s."));
            }
            return rp.checks().start(client, request).map(result -> {
                if (request.factor() == CheckRequest.Factor.PUSH) {
                    ctx.response().setStatusCode(201);
                }
                return checkJson(result);
            });
        });
    }

    private Future<JsonObject> readCheck(RoutingContext ctx) {
        return rp.authenticator().authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION)).compose(client -> {
            UUID id = Ids.parse(ctx.pathParam("id"), "That check");
            String wait = ctx.queryParams().get("waitSeconds");
            if (wait != null && (!WAIT.matcher(wait).matches()
                    || Integer.parseInt(wait) > SignInResults.MAX_WAIT_SECONDS)) {
                throw ApiError.badRequest("invalid_field", "waitSeconds must be a whole number from 0 to "
                        + SignInResults.MAX_WAIT_SECONDS + ".");
            }
            return rp.checks().read(client, id, wait == null ? 0 : Integer.parseInt(wait));
        }).map(RpRoutes::checkJson);
    }

    private static CheckRequest checkRequest(JsonObject body) {
        JsonFields.onlyKnown(body, CHECK_FIELDS);
        String username = JsonBody.requiredString(body, "username", 128);
        String factorText = JsonBody.requiredString(body, "factor", 16);
        CheckRequest.Factor factor = switch (factorText) {
            case "push" -> CheckRequest.Factor.PUSH;
            case "totp" -> CheckRequest.Factor.TOTP;
            default -> throw ApiError.badRequest("invalid_field", "factor: must be \"push\" or \"totp\".");
        };
        Optional<String> code = JsonBody.optionalString(body, "code", 16).map(text -> text.replace(" ", ""));
        if (factor == CheckRequest.Factor.TOTP && code.isEmpty()) {
            throw ApiError.badRequest("invalid_field", "code: is required with factor \"totp\".");
        }
        if (factor == CheckRequest.Factor.PUSH && code.isPresent()) {
            throw ApiError.badRequest("invalid_field", "code: goes only with factor \"totp\".");
        }
        if (code.isPresent() && !DIGITS.matcher(code.get()).matches()) {
            throw ApiError.badRequest("invalid_field", "code: must be the 6 to 8 digits shown in the app.");
        }
        String app = JsonBody.requiredString(body, "app", 128);
        Optional<String> ip = JsonBody.optionalString(body, "ip", 64);
        if (ip.isPresent() && IpNetwork.parseAddress(ip.get()).isEmpty()) {
            throw ApiError.badRequest("invalid_field", SignInService.INVALID_IP);
        }
        return new CheckRequest(username, factor, code, app, ip, JsonBody.optionalString(body, "location", 128));
    }

    static JsonObject checkJson(SignInResult result) {
        JsonObject json = new JsonObject()
                .put("checkId", result.signIn().id().toString())
                .put("state", result.state().wire());
        result.reason().map(DenialReason::wire).ifPresent(reason -> json.put("reason", reason));
        result.number().ifPresent(number -> json.put("number", number));
        result.pushSuppressed().filter(why -> !PushFatigue.CODE_ONLY.equals(why))
                .ifPresent(why -> json.put("pushSuppressed", why));
        result.expiresAt().ifPresent(at -> json.put("expiresAt", at.toString()));
        return json;
    }

    private Future<JsonObject> createClient(RoutingContext ctx) {
        Supplier<String> named = () -> JsonBody.peekString(ctx, "name");
        return authentication.adminChange(ctx, "rp_client.created", named, admin -> {
            JsonObject body = JsonBody.of(ctx);
            JsonFields.onlyKnown(body, CLIENT_FIELDS);
            String name = JsonBody.requiredString(body, "name", AdminControlRoutes.MAX_NAME).trim();
            int rate = JsonFields.optionalInt(body, "ratePerSecond", 1, RpClients.MAX_RATE_PER_SECOND)
                    .orElse(RpClients.DEFAULT_RATE_PER_SECOND);
            return rp.clients().create(admin.user().username(), name, rate);
        }).map(created -> {
            ctx.response().setStatusCode(201);
            return clientJson(created.client()).put("clientSecret", created.secret());
        });
    }

    private Future<JsonObject> listClients(RoutingContext ctx) {
        return authentication.admin(ctx).compose(admin -> rp.clients().list())
                .map(list -> new JsonObject().put("clients",
                        new JsonArray(list.stream().map(RpRoutes::clientJson).toList())));
    }

    private Future<JsonObject> revokeClient(RoutingContext ctx) {
        return authentication.adminChange(ctx, "rp_client.revoked", Authentication.NO_TARGET, admin -> {
            String clientId = ctx.pathParam("clientId");
            if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
                throw ApiError.notFound("That client");
            }
            return rp.clients().revoke(admin.user().username(), clientId);
        }).map(RpRoutes::clientJson);
    }

    private static JsonObject clientJson(RpClient client) {
        JsonObject json = new JsonObject()
                .put("clientId", client.clientId())
                .put("name", client.name())
                .put("ratePerSecond", client.ratePerSecond())
                .put("createdAt", client.createdAt().toString())
                .put("createdBy", client.createdBy())
                .put("revoked", client.isRevoked());
        client.lastUsedAt().ifPresent(at -> json.put("lastUsedAt", at.toString()));
        client.revokedAt().ifPresent(at -> json.put("revokedAt", at.toString()));
        return json;
    }
}
