package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import org.countersign.push.domain.Settings;

/** The single row of service-wide settings. */
public final class SettingsStore {

    public Future<Settings> get(SqlClient sql) {
        return sql.query("SELECT security_defaults, security_defaults_since, app_passwords_allowed, "
                        + "remember_mfa_days, number_digits FROM settings")
                .execute()
                .map(rows -> settings(rows.iterator().next()));
    }

    private static Settings settings(Row row) {
        return new Settings(row.getBoolean("security_defaults"), Columns.instant(row, "security_defaults_since"),
                row.getBoolean("app_passwords_allowed"), row.getInteger("remember_mfa_days"),
                row.getInteger("number_digits"));
    }
}
