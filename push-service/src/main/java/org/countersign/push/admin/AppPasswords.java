package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.ApiError;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.domain.AppPassword;
import org.countersign.push.domain.Session;
import org.countersign.push.store.AppPasswordStore;
import org.countersign.push.store.SettingsStore;

/**
 * People's own app passwords (ARCHITECTURE.md §4): allowed or not by the service setting; created only in a session
 * that completed MFA (an app password bypasses MFA); shown once, stored as Argon2id.
 */
public final class AppPasswords {
    /** At most this many per person: each legacy sign-in may have to check all of them. */
    public static final int MAX_PER_USER = 10;
    /** No 0/o, 1/l/i: easy to read aloud and to type from a screen. */
    static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    static final int LENGTH = 20;
    static final int GROUP = 4;

    /** A new app password with its plaintext, which exists only in this answer. */
    public static final class Created {
        private final AppPassword appPassword;
        private final String password;

        Created(AppPassword appPassword, String password) {
            this.appPassword = appPassword;
            this.password = password;
        }

        public AppPassword appPassword() {
            return appPassword;
        }

        public String password() {
            return password;
        }

        @Override
        public String toString() {
            return "Created[" + appPassword.id() + ", password redacted]";
        }
    }

    private final Pool pool;
    private final AppPasswordStore store;
    private final SettingsStore settings;
    private final PasswordHasher passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random;

    public AppPasswords(Pool pool, AppPasswordStore store, SettingsStore settings, PasswordHasher passwords,
                        AuditLog audit, Clock clock, SecureRandom random) {
        this.pool = Objects.requireNonNull(pool);
        this.store = Objects.requireNonNull(store);
        this.settings = Objects.requireNonNull(settings);
        this.passwords = Objects.requireNonNull(passwords);
        this.audit = Objects.requireNonNull(audit);
        this.clock = Objects.requireNonNull(clock);
        this.random = Objects.requireNonNull(random);
    }

    public Future<Created> create(Session session, String name) {
        if (!session.mfaCompleted()) {
            return Future.failedFuture(new ApiError(403, "mfa_required", "Creating an app password needs a sign-in "
                    + "completed with MFA, as an app password signs in without MFA."));
        }
        String username = session.user().username();
        return settings.get(pool).compose(current -> {
            if (!current.appPasswordsAllowed()) {
                return Future.failedFuture(new ApiError(403, "app_passwords_disabled",
                        "App passwords are turned off for this organisation. Ask your admin."));
            }
            return store.count(pool, session.user().id());
        }).compose(count -> {
            if (count >= MAX_PER_USER) {
                return Future.failedFuture(ApiError.conflict("too_many_app_passwords", "You have " + MAX_PER_USER
                        + " app passwords already: delete one you no longer use first."));
            }
            String password = newPassword();
            return passwords.hash(normalise(password)).compose(hash -> {
                AppPassword created = new AppPassword(UUID.randomUUID(), session.user().id(), name, clock.instant(),
                        Optional.empty());
                return pool.withTransaction(sql -> store.insert(sql, created, hash)
                        .compose(ignored -> audit.record(sql, "app_password.created", username, username, "success",
                                Map.of("appPasswordId", created.id().toString(), "name", name))))
                        .map(ignored -> new Created(created, password));
            });
        });
    }

    /** Whether the service setting allows app passwords at all. */
    public Future<Boolean> allowed() {
        return settings.get(pool).map(current -> current.appPasswordsAllowed());
    }

    public Future<List<AppPassword>> list(Session session) {
        return store.forUser(pool, session.user().id());
    }

    public Future<Void> delete(Session session, UUID id) {
        String username = session.user().username();
        return pool.withTransaction(sql -> store.delete(sql, session.user().id(), id).compose(deleted -> {
            if (deleted.isEmpty()) {
                return Future.failedFuture(ApiError.notFound("That app password"));
            }
            return audit.record(sql, "app_password.deleted", username, username, "success",
                    Map.of("appPasswordId", id.toString(), "name", deleted.get()));
        }));
    }

    /** Groups of four from an unambiguous alphabet: {@code abcd-efgh-jkmn-pqrs-tuvw}, about 99 bits. */
    String newPassword() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % GROUP == 0) {
                out.append('-');
            }
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    /** What is hashed and compared: the characters without separators or spaces, in lower case. */
    public static String normalise(String presented) {
        StringBuilder out = new StringBuilder(presented.length());
        for (char c : presented.toCharArray()) {
            if (c != '-' && c != ' ') {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }
}
