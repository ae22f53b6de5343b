package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import org.countersign.push.domain.Settings;

/** The single row of service-wide settings. */
public final class SettingsStore {

    public Future<Settings> get(SqlClient sql) {
        return sql.preparedQuery("SELECT security_defaults, security_defaults_since, app_passwords_allowed, "
                        + "remember_mfa_days, number_digits, push_limit_per_10_minutes, nist_profile FROM settings")
                .execute()
                .map(rows -> settings(rows.iterator().next()));
    }

    /**
     * Reads the settings and locks the row until the transaction ends: settings changes and policy changes take
     * this lock, so the check that security defaults and enabled policies exclude each other cannot race.
     */
    public Future<Settings> lock(SqlClient sql) {
        return sql.preparedQuery("SELECT security_defaults, security_defaults_since, app_passwords_allowed, "
                        + "remember_mfa_days, number_digits, push_limit_per_10_minutes, nist_profile FROM settings FOR UPDATE")
                .execute()
                .map(rows -> settings(rows.iterator().next()));
    }

    public Future<Void> update(SqlClient sql, Settings settings) {
        return sql.preparedQuery("UPDATE settings SET security_defaults = $1, security_defaults_since = $2, "
                        + "app_passwords_allowed = $3, remember_mfa_days = $4, number_digits = $5, push_limit_per_10_minutes = $6, nist_profile = $7")
                .execute(Tuple.of(settings.securityDefaults(), Columns.ts(settings.securityDefaultsSince()),
                        settings.appPasswordsAllowed(), settings.rememberMfaDays(), settings.numberDigits(),
                        settings.pushLimitPer10Minutes(), settings.nistProfile()))
                .mapEmpty();
    }

    private static Settings settings(Row row) {
        return new Settings(row.getBoolean("security_defaults"), Columns.instant(row, "security_defaults_since"),
                row.getBoolean("app_passwords_allowed"), row.getInteger("remember_mfa_days"),
                row.getInteger("number_digits"), row.getInteger("push_limit_per_10_minutes"),
                row.getBoolean("nist_profile"));
    }
}
