package org.countersign.push.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/** Conversions between Java values and PostgreSQL columns, in one place. */
final class Columns {
    private Columns() {
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }

    static Optional<Instant> optionalInstant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? Optional.empty() : Optional.of(value.toInstant());
    }

    static Optional<UUID> optionalUuid(Row row, String column) {
        return Optional.ofNullable(row.getUUID(column));
    }

    static Optional<String> optionalString(Row row, String column) {
        return Optional.ofNullable(row.getString(column));
    }

    static Optional<Row> first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }
}
