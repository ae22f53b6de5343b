package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Objects;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.domain.MfaState;
import org.countersign.push.domain.Role;
import org.countersign.push.store.UserStore;

/** Creates the first admin at start, only while no admin exists, so a restart never resets a password. */
public final class Bootstrap {
    private final Pool pool;
    private final UserStore users;
    private final UserAdministration administration;

    public Bootstrap(Pool pool, UserStore users, UserAdministration administration) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.administration = Objects.requireNonNull(administration);
    }

    /** Creates the admin; answers whether one was created. */
    public Future<Boolean> ensureAdmin(String username, String password) {
        return users.anyAdmin(pool).compose(exists -> exists ? Future.succeededFuture(false)
                : administration.create(AuditLog.SYSTEM, new NewUser(username, password, username, Role.ADMIN,
                        MfaState.DISABLED)).map(true));
    }
}
