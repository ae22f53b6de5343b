package org.countersign.push.admin;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.countersign.push.ApiError;
import org.countersign.push.domain.AppPassword;
import org.countersign.push.domain.Device;
import org.countersign.push.domain.User;
import org.countersign.push.signin.AccessDecision;
import org.countersign.push.signin.MfaPolicy;
import org.countersign.push.store.AppPasswordStore;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.UserStore;

/**
 * One user as the admin's user panel shows them: the decision {@link MfaPolicy} makes for a sign-in from an unknown
 * network with every rule that applies, their devices (removed ones included, for the record) and app passwords.
 */
public final class UserDetails {
    /** Everything the panel shows. */
    public record Detail(User user, AccessDecision decision, List<Device> devices, List<AppPassword> appPasswords,
                         AccountFlags flags) {
        public Detail(User user, AccessDecision decision, List<Device> devices, List<AppPassword> appPasswords) {
            this(user, decision, devices, appPasswords, AccountFlags.NONE);
        }

        public long methodsRegistered() {
            return devices.stream().filter(Device::isVerified).count();
        }
    }

    private final Pool pool;
    private final UserStore users;
    private final DeviceStore devices;
    private final AppPasswordStore appPasswords;
    private final SettingsStore settings;
    private final PolicyStore policies;
    private final MfaPolicy policy;

    public UserDetails(Pool pool, UserStore users, DeviceStore devices, AppPasswordStore appPasswords,
                       SettingsStore settings, PolicyStore policies, MfaPolicy policy) {
        this.pool = Objects.requireNonNull(pool);
        this.users = Objects.requireNonNull(users);
        this.devices = Objects.requireNonNull(devices);
        this.appPasswords = Objects.requireNonNull(appPasswords);
        this.settings = Objects.requireNonNull(settings);
        this.policies = Objects.requireNonNull(policies);
        this.policy = Objects.requireNonNull(policy);
    }

    public Future<Detail> of(String username) {
        return users.findByUsername(pool, username).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(ApiError.notFound("A user named '" + username + "'"));
            }
            User user = found.get();
            return settings.get(pool).compose(current -> policies.enabled(pool).compose(enabled -> {
                AccessDecision decision = policy.decide(user, current, enabled, Optional.empty());
                return devices.allForUser(pool, user.id()).compose(all -> appPasswords.forUser(pool, user.id())
                        .compose(passwords -> AccountFlags.load(pool).map(flags ->
                                new Detail(user, decision, all, passwords, flags.apply(user)))));
            }));
        });
    }
}
