package org.countersign.push.admin;

import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import org.countersign.push.audit.AuditLog;
import org.countersign.push.crypto.PasswordHasher;
import org.countersign.push.signin.LegacySignIn;
import org.countersign.push.signin.MfaPolicy;
import org.countersign.push.store.ActivityStore;
import org.countersign.push.store.AppPasswordStore;
import org.countersign.push.store.DeviceStore;
import org.countersign.push.store.PolicyStore;
import org.countersign.push.store.SessionStore;
import org.countersign.push.store.SettingsStore;
import org.countersign.push.store.UserStore;

/**
 * The admin controls of ARCHITECTURE.md §4 beyond users and devices, and the self-service parts that go with them
 * (app passwords, legacy sign-in, sign-out everywhere): what the HTTP layer delegates to.
 */
public record AdminControls(SettingsAdministration settings, PolicyAdministration policies, UserDetails details,
                            UserActions actions, BulkMfaUpdate bulk, AppPasswords appPasswords,
                            LegacySignIn legacy, ActivityStore activity, AdminRefusals refusals) {
    public AdminControls {
        Objects.requireNonNull(settings);
        Objects.requireNonNull(policies);
        Objects.requireNonNull(details);
        Objects.requireNonNull(actions);
        Objects.requireNonNull(bulk);
        Objects.requireNonNull(appPasswords);
        Objects.requireNonNull(legacy);
        Objects.requireNonNull(activity);
        Objects.requireNonNull(refusals);
    }

    /** Wires the admin controls from the service's shared parts. */
    public static AdminControls create(Pool pool, UserStore users, DeviceStore devices, SettingsStore settings,
                                       PasswordHasher passwords, MfaPolicy policy, DeviceRemoval removal,
                                       AuditLog audit, Clock clock, SecureRandom random) {
        PolicyStore policies = new PolicyStore();
        AppPasswordStore appPasswords = new AppPasswordStore();
        return new AdminControls(
                new SettingsAdministration(pool, settings, policies, users, audit, clock),
                new PolicyAdministration(pool, policies, settings, users, audit, clock),
                new UserDetails(pool, users, devices, appPasswords, settings, policies, policy),
                new UserActions(pool, users, devices, removal, appPasswords, new SessionStore(), audit, clock),
                new BulkMfaUpdate(pool, users, audit),
                new AppPasswords(pool, appPasswords, settings, passwords, audit, clock, random),
                new LegacySignIn(pool, users, appPasswords, settings, policies, policy, passwords, audit, clock),
                new ActivityStore(),
                new AdminRefusals(pool, audit));
    }
}
