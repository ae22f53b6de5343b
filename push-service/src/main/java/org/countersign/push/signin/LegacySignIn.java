package org.countersign.push.signin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.countersign.push.ApiError;
import org.countersign.push.admin.AppPasswords;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.domain.AppPassword;
import org.countersign.push.domain.User;
import org.countersign.push.store.AppPasswordStore;
import org.countersign.push.store.AppPasswordStore.Candidate;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.UserStore;

/**
 * Legacy authentication (ARCHITECTURE.md §4): HTTP Basic with a username and an app password, for clients that
 * cannot do MFA. Refused with 403 {@code legacy_auth_blocked} while security defaults are on and
 * {@code app_passwords_disabled} while the setting is off (both say nothing about the account); then the app
 * password is checked (a wrong one, an account password or an unknown user are all 401 {@code invalid_credentials},
 * in the same time); then an enabled block policy covering the user refuses it (a legacy client's address is
 * unknown, so trusted networks never exempt it). Every attempt is audited.
 */
public final class LegacySignIn {
    private static final String INVALID = "The username or app password is incorrect.";

    private final Pool pool;
    private final UserStore users;
    private final AppPasswordStore appPasswords;
    private final SettingsStore settings;
    private final PolicyStore policies;
    private final MfaPolicy policy;
    private final PasswordHasher passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final AttemptGuard attempts;

    public LegacySignIn(Pool pool, UserStore users, AppPasswordStore appPasswords, SettingsStore settings,
                        PolicyStore policies, MfaPolicy policy, PasswordHasher passwords, AuditLog audit,
                        Clock clock) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.appPasswords = Objects.requireNonNull(appPasswords);
        this.settings = Objects.requireNonNull(settings);
        this.policies = Objects.requireNonNull(policies);
        this.policy = Objects.requireNonNull(policy);
        this.passwords = Objects.requireNonNull(passwords);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.attempts = new AttemptGuard(ThrottlePolicy.DEFAULT, audit, clock);
    }

    /** Username and password from {@code Authorization: Basic}, or empty when the header is missing or malformed. */
    public record BasicCredentials(String username, String password) {
        @Override
        public String toString() {
            return "BasicCredentials[" + username + ", password redacted]";
        }
    }

    public static Optional<BasicCredentials> basic(String header) {
        if (header == null || header.length() > 1024 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }

    /** Signs in with {@code Authorization: Basic}; answers the user's canonical name. */
    public Future<String> signIn(String authorizationHeader) {
        Optional<BasicCredentials> credentials = basic(authorizationHeader);
        if (credentials.isEmpty()) {
            return Future.failedFuture(ApiError.unauthenticated(
                    "Send the username and an app password as 'Authorization: Basic'."));
        }
        String username = credentials.get().username();
        return settings.get(pool).compose(current -> {
            if (current.securityDefaults()) {
                return refuse(username, "legacy_auth_blocked", "Legacy authentication is blocked while security "
                        + "defaults are on. Use an app that supports MFA, or ask your admin.");
            }
            if (!current.appPasswordsAllowed()) {
                return refuse(username, "app_passwords_disabled",
                        "App passwords are turned off for this organisation. Ask your admin.");
            }
            // app passwords count against the same per-username throttle and lockout as passwords
            return attempts.check(pool, username, Optional.empty())
                    .compose(ignored -> users.findByUsername(pool, username)).compose(user -> user.isEmpty()
                    ? passwords.verifyDecoy(credentials.get().password())
                            .compose(ignored -> fail(username, "unknown_user"))
                    : check(user.get(), credentials.get().password())
                            .compose(matched -> matched.isEmpty() ? fail(user.get().username(), "wrong_password")
                                    : accept(user.get(), matched.get())));
        });
    }

    private Future<Optional<AppPassword>> check(User user, String presented) {
        String normalised = AppPasswords.normalise(presented);
        return appPasswords.candidates(pool, user.id()).compose(candidates -> {
            if (candidates.isEmpty()) {
                return passwords.verifyDecoy(normalised).map(ignored -> Optional.<AppPassword>empty());
            }
            return firstMatch(candidates, normalised);
        });
    }

    private Future<Optional<AppPassword>> firstMatch(List<Candidate> candidates, String normalised) {
        Future<Optional<AppPassword>> result = Future.succeededFuture(Optional.empty());
        for (Candidate candidate : candidates) {
            result = result.compose(found -> found.isPresent() ? Future.succeededFuture(found)
                    : passwords.verify(normalised, candidate.hash())
                            .map(ok -> ok ? Optional.of(candidate.appPassword()) : Optional.<AppPassword>empty()));
        }
        return result;
    }

    private Future<String> accept(User user, AppPassword appPassword) {
        return settings.get(pool).compose(current -> policies.enabled(pool).compose(enabled -> {
            Optional<String> blockedBy = policy.decide(user, current, enabled, Optional.empty()).blockedBy();
            if (blockedBy.isPresent()) {
                return refuse(user.username(), "blocked_by_policy", "Sign-in blocked by the Conditional Access "
                        + "policy '" + blockedBy.get() + "'. Ask your admin if you need access.");
            }
            return pool.withTransaction(sql -> appPasswords.touch(sql, appPassword.id(), clock.instant())
                    .compose(ignored -> attempts.succeeded(sql, user.username(), Optional.empty()))
                    .compose(ignored -> audit.record(sql, "legacy_sign_in", user.username(), user.username(),
                            "approved", Map.of("appPasswordId", appPassword.id().toString(),
                                    "name", appPassword.name()))))
                    .map(user.username());
        }));
    }

    private Future<String> refuse(String username, String code, String message) {
        return audit.record(pool, "legacy_sign_in", username, username, code)
                .transform(ignored -> Future.failedFuture(new ApiError(403, code, message)));
    }

    private Future<String> fail(String username, String why) {
        return pool.withTransaction(sql -> attempts.failed(sql, username, Optional.empty(), Optional.empty())
                        .compose(ignored -> audit.record(sql, "legacy_sign_in", username, username, "failure",
                                Map.of("reason", why))))
                .transform(ignored -> Future.failedFuture(new ApiError(401, "invalid_credentials", INVALID)));
    }
}
