package org.countersign.push.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.countersign.push.ApiError;
import org.countersign.push.admin.ActivityExport;
import org.countersign.push.store.ActivityStore;
import org.countersign.push.store.ActivityStore.StoredEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/admin/activity?user=&type=&from=&to=&before=&limit=&format=json|csv}: the audit log, newest
 * first. {@code user} matches the actor or the target; {@code type} matches exactly or as a prefix up to a dot
 * ({@code sign_in} matches {@code sign_in.mfa}); {@code from} and {@code to} are ISO-8601 instants, both inclusive.
 * As JSON it is one page of {@code limit} events (1 to 1000, default 100) with a {@code next} cursor when older ones
 * match, passed back as {@code before} for the next page. As CSV it is every matching event (from {@code before}
 * on, when given), streamed. Admins only.
 */
final class ActivityRoutes {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_.]{1,64}");
    private static final Pattern LIMIT = Pattern.compile("[0-9]{1,4}");
    private static final Logger LOG = LoggerFactory.getLogger(ActivityRoutes.class);

    private final ActivityStore activity;
    private final ActivityExport export;
    private final io.vertx.sqlclient.Pool pool;
    private final Authentication authentication;

    ActivityRoutes(io.vertx.sqlclient.Pool pool, ActivityStore activity, Authentication authentication) {
        this.pool = Objects.requireNonNull(pool);
        this.activity = Objects.requireNonNull(activity);
        this.export = new ActivityExport(pool, activity);
        this.authentication = Objects.requireNonNull(authentication);
    }

    void mount(Router router) {
        router.get("/api/v1/admin/activity").handler(this::activity);
    }

    private void activity(RoutingContext ctx) {
        String format = Optional.ofNullable(ctx.queryParams().get("format")).orElse("json");
        authentication.admin(ctx).onComplete(admin -> {
            if (admin.failed()) {
                ctx.fail(admin.cause());
                return;
            }
            ActivityStore.Query query;
            try {
                if (!format.equals("json") && !format.equals("csv")) {
                    throw ApiError.badRequest("invalid_field", "format: must be json or csv.");
                }
                query = query(ctx);
            } catch (ApiError refused) {
                ctx.fail(refused);
                return;
            }
            if (format.equals("csv")) {
                csv(ctx, query);
            } else {
                json(ctx, query);
            }
        });
    }

    /** One page; one event more is read to learn whether older ones exist. */
    private void json(RoutingContext ctx, ActivityStore.Query query) {
        activity.find(pool, query.page(query.before(), query.limit() + 1)).onComplete(done -> {
            if (done.failed()) {
                ctx.fail(done.cause());
                return;
            }
            List<StoredEvent> events = done.result();
            JsonObject answer = new JsonObject();
            if (events.size() > query.limit()) {
                events = events.subList(0, query.limit());
                answer.put("events", eventsJson(events))
                        .put("next", ActivityStore.Cursor.after(events.get(events.size() - 1)).toString());
            } else {
                answer.put("events", eventsJson(events));
            }
            ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(answer.encode());
        });
    }

    private void csv(RoutingContext ctx, ActivityStore.Query query) {
        export.export(query, () -> ctx.response().setChunked(true)
                        .putHeader("Content-Type", "text/csv; charset=utf-8")
                        .putHeader("Content-Disposition", "attachment; filename=\"countersign-activity.csv\""))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        ctx.response().end();
                    } else if (!ctx.response().headWritten()) {
                        ctx.fail(done.cause());
                    } else {
                        // part of the file is out: cut the connection so the download shows as failed, not complete
                        LOG.warn("Activity export cut short: {}", done.cause().getMessage());
                        ctx.response().reset();
                    }
                });
    }

    private static JsonArray eventsJson(List<StoredEvent> events) {
        return new JsonArray(events.stream().map(ActivityRoutes::eventJson).toList());
    }

    private static ActivityStore.Query query(RoutingContext ctx) {
        Optional<String> user = Optional.ofNullable(ctx.queryParams().get("user")).filter(text -> !text.isBlank())
                .map(String::trim);
        if (user.isPresent() && (user.get().length() > 128 || user.get().chars().anyMatch(Character::isISOControl))) {
            throw ApiError.badRequest("invalid_field", "user: must be a username of at most 128 characters.");
        }
        Optional<String> type = Optional.ofNullable(ctx.queryParams().get("type")).filter(text -> !text.isBlank());
        if (type.isPresent() && !TYPE.matcher(type.get()).matches()) {
            throw ApiError.badRequest("invalid_field",
                    "type: must be an event type such as sign_in or sign_in.mfa (lower case, digits, _ and .).");
        }
        Optional<Instant> from = instant(ctx, "from");
        Optional<Instant> to = instant(ctx, "to");
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw ApiError.badRequest("invalid_field", "from: must not be after to.");
        }
        Optional<ActivityStore.Cursor> before = Optional.ofNullable(ctx.queryParams().get("before"))
                .filter(text -> !text.isBlank())
                .map(text -> ActivityStore.Cursor.parse(text.trim()).orElseThrow(() -> ApiError.badRequest(
                        "invalid_field", "before: must be the \"next\" value of an earlier page of the activity.")));
        String limitText = ctx.queryParams().get("limit");
        int limit = DEFAULT_LIMIT;
        if (limitText != null) {
            if (!LIMIT.matcher(limitText).matches() || Integer.parseInt(limitText) < 1
                    || Integer.parseInt(limitText) > MAX_LIMIT) {
                throw ApiError.badRequest("invalid_field", "limit: must be a whole number from 1 to " + MAX_LIMIT + ".");
            }
            limit = Integer.parseInt(limitText);
        }
        return new ActivityStore.Query(user, type, from, to, before, limit);
    }

    private static Optional<Instant> instant(RoutingContext ctx, String field) {
        String text = ctx.queryParams().get(field);
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest("invalid_field", field
                    + ": must be an ISO-8601 instant such as 2026-11-23T09:00:00Z or 2026-11-23T10:00:00+01:00.");
        }
    }

    static JsonObject eventJson(StoredEvent event) {
        JsonObject json = new JsonObject()
                .put("id", event.id())
                .put("occurredAt", event.occurredAt().toString())
                .put("type", event.type())
                .put("actor", event.actor())
                .put("outcome", event.outcome())
                .put("detail", event.detail());
        json.put("target", event.target().orElse(null));
        return json;
    }
}
