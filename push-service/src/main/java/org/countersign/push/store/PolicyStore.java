package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.countersign.push.domain.ConditionalAccessPolicy;
import org.countersign.push.domain.IpNetwork;
import org.countersign.push.domain.PolicyGrant;
import org.countersign.push.domain.PolicyState;
import org.countersign.push.domain.Role;

/** Conditional Access policies. Names are unique regardless of case. */
public final class PolicyStore {
    private static final String COLUMNS = "id, name, state, include_users, include_roles, exclude_users, "
            + "trusted_networks, grant_control, created_at, updated_at";

    /** Every policy, ordered by name. */
    public Future<List<ConditionalAccessPolicy>> all(SqlClient sql) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM conditional_access_policies ORDER BY lower(name), name")
                .execute()
                .map(PolicyStore::policies);
    }

    /** The enabled policies, ordered by name: what a sign-in is evaluated against. */
    public Future<List<ConditionalAccessPolicy>> enabled(SqlClient sql) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM conditional_access_policies WHERE state = 'enabled' "
                        + "ORDER BY lower(name), name")
                .execute()
                .map(PolicyStore::policies);
    }

    public Future<Optional<ConditionalAccessPolicy>> findById(SqlClient sql, UUID id) {
        return sql.preparedQuery("SELECT " + COLUMNS + " FROM conditional_access_policies WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(id))
                .map(rows -> Columns.first(rows).map(PolicyStore::policy));
    }

    public Future<Void> insert(SqlClient sql, ConditionalAccessPolicy policy) {
        return sql.preparedQuery("INSERT INTO conditional_access_policies (" + COLUMNS + ") "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .execute(tuple(policy))
                .mapEmpty();
    }

    public Future<Void> update(SqlClient sql, ConditionalAccessPolicy policy) {
        return sql.preparedQuery("UPDATE conditional_access_policies SET name = $2, state = $3, include_users = $4, "
                        + "include_roles = $5, exclude_users = $6, trusted_networks = $7, grant_control = $8, "
                        + "created_at = $9, updated_at = $10 WHERE id = $1")
                .execute(tuple(policy))
                .mapEmpty();
    }

    public Future<Boolean> delete(SqlClient sql, UUID id) {
        return sql.preparedQuery("DELETE FROM conditional_access_policies WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Tuple tuple(ConditionalAccessPolicy policy) {
        return Tuple.from(new Object[] {policy.id(), policy.name(), policy.state().wire(),
                policy.includeUsers().toArray(String[]::new),
                policy.includeRoles().stream().map(Role::wire).toArray(String[]::new),
                policy.excludeUsers().toArray(String[]::new),
                policy.trustedNetworks().stream().map(IpNetwork::toString).toArray(String[]::new),
                policy.grant().wire(), Columns.ts(policy.createdAt()), Columns.ts(policy.updatedAt())});
    }

    private static List<ConditionalAccessPolicy> policies(Iterable<Row> rows) {
        List<ConditionalAccessPolicy> list = new ArrayList<>();
        for (Row row : rows) {
            list.add(policy(row));
        }
        return list;
    }

    private static ConditionalAccessPolicy policy(Row row) {
        return new ConditionalAccessPolicy(row.getUUID("id"), row.getString("name"),
                PolicyState.parse(row.getString("state")).orElseThrow(),
                Arrays.asList(row.getArrayOfStrings("include_users")),
                Arrays.stream(row.getArrayOfStrings("include_roles")).map(text -> Role.parse(text).orElseThrow())
                        .toList(),
                Arrays.asList(row.getArrayOfStrings("exclude_users")),
                Arrays.stream(row.getArrayOfStrings("trusted_networks")).map(IpNetwork::parse).toList(),
                PolicyGrant.parse(row.getString("grant_control")).orElseThrow(),
                Columns.instant(row, "created_at"), Columns.instant(row, "updated_at"));
    }
}
