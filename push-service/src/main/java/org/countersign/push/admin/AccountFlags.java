package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.countersign.push.domain.User;
import org.countersign.push.store.PushFatigueStore;
import org.countersign.push.store.ThrottleStore;

/**
 * What an admin must see and can clear about a user's protection against abuse: pushes suspended after a fraud
 * report, and a lockout after too many failed attempts.
 */
public record AccountFlags(boolean pushSuspended, boolean lockedOut) {
    public static final AccountFlags NONE = new AccountFlags(false, false);

    /** Reads every user's flags at once (a handful of rows: only suspended or locked-out users have any). */
    public static Future<Function<User, AccountFlags>> load(SqlClient sql) {
        return new PushFatigueStore().suspendedUsers(sql).compose(suspended -> new ThrottleStore()
                .lockedOutUsernames(sql).map(locked -> user -> of(user, suspended, locked)));
    }

    private static AccountFlags of(User user, Set<UUID> suspended, Set<String> locked) {
        // PostgreSQL's lower() and Java's agree on the letters usernames may hold
        return new AccountFlags(suspended.contains(user.id()),
                locked.contains(user.username().toLowerCase(Locale.ROOT)));
    }
}
