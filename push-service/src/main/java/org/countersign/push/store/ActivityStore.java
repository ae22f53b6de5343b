package org.countersign.push.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the audit log for the activity view, newest first. */
public final class ActivityStore {

    /** An audit event as stored, with its id. */
    public record StoredEvent(long id, Instant occurredAt, String type, String actor, Optional<String> target,
                              String outcome, JsonObject detail) {
    }

    /**
     * Where a page of the activity view ends: the time and id of its oldest event. The next page holds the events
     * strictly older in the order (time, then id), so events that share a time are never skipped or repeated. Its
     * text form ({@code <microseconds since 1970>.<id>}) is what clients pass back as {@code before}.
     */
    public record Cursor(Instant occurredAt, long id) {
        private static final Pattern TEXT = Pattern.compile("(-?[0-9]{1,18})\\.([0-9]{1,18})");
        /** Times PostgreSQL stores; a cursor outside them was not written here. */
        private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
        private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

        public Cursor {
            Objects.requireNonNull(occurredAt, "occurredAt");
        }

        public static Cursor after(StoredEvent event) {
            return new Cursor(event.occurredAt(), event.id());
        }

        /** The cursor for {@code text}, or empty when it is not one this class wrote. */
        public static Optional<Cursor> parse(String text) {
            Matcher matcher = TEXT.matcher(text);
            if (!matcher.matches()) {
                return Optional.empty();
            }
            Instant at = Instant.EPOCH.plus(Long.parseLong(matcher.group(1)), ChronoUnit.MICROS);
            return at.isBefore(EARLIEST) || at.isAfter(LATEST) ? Optional.empty()
                    : Optional.of(new Cursor(at, Long.parseLong(matcher.group(2))));
        }

        @Override
        public String toString() {
            return ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt) + "." + id;
        }
    }

    /**
     * The filter of the activity view: {@code user} matches the actor or the target (regardless of case);
     * {@code type} matches exactly or as a prefix up to a dot; {@code from} and {@code to} are inclusive;
     * {@code before} starts after the page it names; at most {@code limit} events.
     */
    public record Query(Optional<String> user, Optional<String> type, Optional<Instant> from, Optional<Instant> to,
                        Optional<Cursor> before, int limit) {
        public Query {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(before, "before");
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive");
            }
        }

        public Query(Optional<String> user, Optional<String> type, Optional<Instant> from, Optional<Instant> to,
                     int limit) {
            this(user, type, from, to, Optional.empty(), limit);
        }

        /** The same filter, from {@code cursor} on, {@code size} events at most. */
        public Query page(Optional<Cursor> cursor, int size) {
            return new Query(user, type, from, to, cursor, size);
        }
    }

    /** The events matching {@code query}, newest first (by time, then id). */
    public Future<List<StoredEvent>> find(SqlClient sql, Query query) {
        Optional<Cursor> before = query.before();
        return sql.preparedQuery("SELECT id, occurred_at, type, actor, target, outcome, detail FROM audit_events "
                        + "WHERE ($1::text IS NULL OR lower(actor) = lower($1) OR lower(target) = lower($1)) "
                        + "AND ($2::text IS NULL OR type = $2 OR left(type, length($2) + 1) = $2 || '.') "
                        + "AND ($3::timestamptz IS NULL OR occurred_at >= $3) "
                        + "AND ($4::timestamptz IS NULL OR occurred_at <= $4) "
                        + "AND ($6::timestamptz IS NULL OR (occurred_at, id) < ($6, $7::bigint)) "
                        + "ORDER BY occurred_at DESC, id DESC LIMIT $5")
                .execute(Tuple.from(new Object[] {query.user().orElse(null), query.type().orElse(null),
                        Columns.ts(query.from().orElse(null)), Columns.ts(query.to().orElse(null)), query.limit(),
                        Columns.ts(before.map(Cursor::occurredAt).orElse(null)),
                        before.map(Cursor::id).orElse(null)}))
                .map(rows -> {
                    List<StoredEvent> events = new ArrayList<>();
                    for (Row row : rows) {
                        Object detail = row.getValue("detail");
                        events.add(new StoredEvent(row.getLong("id"), Columns.instant(row, "occurred_at"),
                                row.getString("type"), row.getString("actor"),
                                Columns.optionalString(row, "target"), row.getString("outcome"),
                                detail instanceof JsonObject object ? object : new JsonObject()));
                    }
                    return events;
                });
    }
}
