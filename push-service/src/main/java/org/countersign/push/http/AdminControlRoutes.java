package org.countersign.push.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.countersign.push.ApiError;
import org.countersign.push.admin.PolicyAdministration;
import org.countersign.push.admin.PolicyChange;
import org.countersign.push.admin.SettingsAdministration;
import org.countersign.push.admin.SettingsChange;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.PolicyGrant;
import org.countersign.push.domain.PolicyState;
import org.countersign.push.domain.Role;
import org.countersign.push.domain.Settings;

/** {@code /api/v1/admin/settings} and {@code /api/v1/admin/policies} (Conditional Access). Admins only. */
final class AdminControlRoutes {
    static final int MAX_NAME = 64;
    private static final Pattern NAME = Pattern.compile("[^\\p{Cc}\\p{Cf}]{1," + MAX_NAME + "}");
    private static final Set<String> SETTINGS_FIELDS = Set.of("securityDefaults", "appPasswordsAllowed",
            "rememberMfaDays", "numberDigits", "pushLimitPer10Minutes", "nistProfile");
    private static final Set<String> POLICY_FIELDS = Set.of("name", "state", "includeUsers", "includeRoles",
            "excludeUsers", "trustedNetworks", "grant");

    private final SettingsAdministration settings;
    private final PolicyAdministration policies;
    private final Authentication authentication;

    AdminControlRoutes(SettingsAdministration settings, PolicyAdministration policies, Authentication authentication) {
        this.settings = Objects.requireNonNull(settings);
        this.policies = Objects.requireNonNull(policies);
        this.authentication = Objects.requireNonNull(authentication);
    }

    void mount(Router router) {
        router.get("/api/v1/admin/settings").respond(this::getSettings);
        router.put("/api/v1/admin/settings").respond(this::putSettings);
        router.get("/api/v1/admin/policies").respond(this::listPolicies);
        router.post("/api/v1/admin/policies").respond(this::createPolicy);
        router.patch("/api/v1/admin/policies/:id").respond(this::patchPolicy);
        router.delete("/api/v1/admin/policies/:id").respond(this::deletePolicy);
    }

    private Future<JsonObject> getSettings(RoutingContext ctx) {
        return authentication.admin(ctx).compose(admin -> settings.get()).map(AdminControlRoutes::settingsJson);
    }

    /** Admin routes authenticate first, so that only an admin learns what is wrong with a body. */
    private Future<JsonObject> putSettings(RoutingContext ctx) {
        return authentication.adminChange(ctx, "admin.settings_changed", Authentication.NO_TARGET, admin -> {
            JsonObject body = JsonBody.of(ctx);
            JsonFields.onlyKnown(body, SETTINGS_FIELDS);
            nothingToChange(body, "setting", SETTINGS_FIELDS);
            SettingsChange change = new SettingsChange(JsonFields.optionalBoolean(body, "securityDefaults"),
                    JsonFields.optionalBoolean(body, "appPasswordsAllowed"),
                    JsonFields.optionalInt(body, "rememberMfaDays", 0, 365),
                    JsonFields.optionalInt(body, "numberDigits", 2, 6),
                    JsonFields.optionalInt(body, "pushLimitPer10Minutes", 1, 1_000_000),
                    JsonFields.optionalBoolean(body, "nistProfile"));
            return settings.update(admin.user().username(), change);
        }).map(AdminControlRoutes::settingsJson);
    }

    /** A change that names nothing to change is a mistake (an empty or misaddressed body), not a silent success. */
    private static void nothingToChange(JsonObject body, String what, Set<String> fields) {
        if (body.isEmpty()) {
            throw ApiError.badRequest("invalid_field", String.join(", ", new java.util.TreeSet<>(fields))
                    + ": name at least one " + what + " to change.");
        }
    }

    private Future<JsonObject> listPolicies(RoutingContext ctx) {
        return authentication.admin(ctx).compose(admin -> policies.list()).map(list -> new JsonObject()
                .put("policies", new JsonArray(list.stream().map(AdminControlRoutes::policyJson).toList())));
    }

    private Future<JsonObject> createPolicy(RoutingContext ctx) {
        Supplier<String> named = () -> JsonBody.peekString(ctx, "name");
        return authentication.adminChange(ctx, "admin.policy_created", named, admin -> {
            PolicyChange change = policyChange(JsonBody.of(ctx));
            if (change.name().isEmpty()) {
                throw ApiError.badRequest("invalid_field", "name: is required.");
            }
            if (change.grant().isEmpty()) {
                throw ApiError.badRequest("invalid_field", "grant: is required: require_mfa or block.");
            }
            return policies.create(admin.user().username(), change);
        }).map(policy -> {
            ctx.response().setStatusCode(201);
            return policyJson(policy);
        });
    }

    private Future<JsonObject> patchPolicy(RoutingContext ctx) {
        return authentication.adminChange(ctx, "admin.policy_updated", Authentication.NO_TARGET, admin -> {
            UUID id = Ids.parse(ctx.pathParam("id"), "That policy");
            JsonObject body = JsonBody.of(ctx);
            nothingToChange(body, "policy field", POLICY_FIELDS);
            return policies.update(admin.user().username(), id, policyChange(body));
        }).map(AdminControlRoutes::policyJson);
    }

    private Future<JsonObject> deletePolicy(RoutingContext ctx) {
        return authentication.adminChange(ctx, "admin.policy_deleted", Authentication.NO_TARGET,
                        admin -> policies.delete(admin.user().username(),
                                Ids.parse(ctx.pathParam("id"), "That policy")))
                .map(policy -> new JsonObject().put("id", policy.id().toString()).put("name", policy.name())
                        .put("deleted", true));
    }

    private static PolicyChange policyChange(JsonObject body) {
        JsonFields.onlyKnown(body, POLICY_FIELDS);
        Optional<String> name = JsonBody.optionalString(body, "name", MAX_NAME).map(String::trim);
        name.ifPresent(text -> {
            if (!NAME.matcher(text).matches()) {
                throw ApiError.badRequest("invalid_field", "name: must be 1 to " + MAX_NAME + " printable characters.");
            }
        });
        Optional<PolicyState> state = JsonBody.optionalString(body, "state", 16).map(text -> PolicyState.parse(text)
                .orElseThrow(() -> ApiError.badRequest("invalid_field", "state: must be enabled or disabled.")));
        Optional<PolicyGrant> grant = JsonBody.optionalString(body, "grant", 16).map(text -> PolicyGrant.parse(text)
                .orElseThrow(() -> ApiError.badRequest("invalid_field", "grant: must be require_mfa or block.")));
        Optional<List<String>> include = JsonFields.optionalList(body, "includeUsers", 1000, 64,
                text -> text.equals(ConditionalAccessPolicy.EVERYONE) ? text : username(text));
        include.ifPresent(list -> {
            if (list.contains(ConditionalAccessPolicy.EVERYONE) && list.size() > 1) {
                throw ApiError.badRequest("invalid_field",
                        "includeUsers: \"*\" already includes everyone; list it alone.");
            }
        });
        Optional<List<Role>> roles = JsonFields.optionalList(body, "includeRoles", 2, 16, text -> Role.parse(text)
                .filter(role -> role.wire().equals(text))
                .orElseThrow(() -> new IllegalArgumentException("must be admin or user.")));
        Optional<List<String>> exclude = JsonFields.optionalList(body, "excludeUsers", 1000, 64,
                AdminControlRoutes::username);
        Optional<List<IpNetwork>> networks = JsonFields.optionalList(body, "trustedNetworks", 100, 64,
                IpNetwork::parse);
        return new PolicyChange(name, state, include, roles, exclude, networks, grant);
    }

    private static String username(String text) {
        if (!AdminRoutes.USERNAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a username.");
        }
        return text;
    }

    static JsonObject settingsJson(Settings current) {
        return new JsonObject()
                .put("securityDefaults", current.securityDefaults())
                .put("securityDefaultsSince", current.securityDefaultsSince().toString())
                .put("appPasswordsAllowed", current.appPasswordsAllowed())
                .put("rememberMfaDays", current.rememberMfaDays())
                .put("numberDigits", current.numberDigits())
                .put("pushLimitPer10Minutes", current.pushLimitPer10Minutes())
                .put("nistProfile", current.nistProfile());
    }

    static JsonObject policyJson(ConditionalAccessPolicy policy) {
        return new JsonObject()
                .put("id", policy.id().toString())
                .put("name", policy.name())
                .put("state", policy.state().wire())
                .put("includeUsers", new JsonArray(policy.includeUsers()))
                .put("includeRoles", new JsonArray(policy.includeRoles().stream().map(Role::wire).toList()))
                .put("excludeUsers", new JsonArray(policy.excludeUsers()))
                .put("trustedNetworks", new JsonArray(policy.trustedNetworks().stream().map(IpNetwork::toString)
                        .toList()))
                .put("grant", policy.grant().wire())
                .put("createdAt", policy.createdAt().toString())
                .put("updatedAt", policy.updatedAt().toString());
    }
}
