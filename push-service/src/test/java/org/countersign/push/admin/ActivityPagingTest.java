package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * More events than one page: the CSV export holds every matching event, and the JSON view pages through them with
 * the {@code next} cursor, newest first, none skipped or repeated even where many share a time.
 */
class ActivityPagingTest {
    /** More than the old cap of 1000, more than two pages, and not a multiple of the export's page. */
    static final int EVENTS = 2345;

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();

    @BeforeAll
    static void manyEventsSharingTheirTimes() {
        // 2345 events over 700 distinct seconds: most times are shared by three or four events
        fixture.service().sql("INSERT INTO audit_events (occurred_at, type, actor, target, outcome, detail) "
                + "SELECT timestamptz '2026-11-20T08:00:00Z' + (i % 700) * interval '1 second', 'bulk.test', "
                + "'pager', 'pager', 'success', jsonb_build_object('n', i) FROM generate_series(1, " + EVENTS + ") i");
    }

    private static Api.Response page(String query) {
        Api.Response response = fixture.api().get("/api/v1/admin/activity?type=bulk.test" + query, fixture.admin());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    @Test
    void theCsvExportHoldsEveryMatchingEvent() {
        Api.Response csv = page("&format=csv");
        assertThat(csv.contentType()).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo(ActivityCsv.HEADER);
        List<String> rows = lines.subList(1, lines.size());
        assertThat(rows).hasSize(EVENTS).allMatch(row -> row.contains(",bulk.test,pager,pager,success,"));
        Set<String> ns = new HashSet<>();
        rows.forEach(row -> ns.add(row.replaceAll(".*\"\"n\"\":([0-9]+).*", "$1")));
        assertThat(ns).hasSize(EVENTS);
        List<Instant> times = rows.stream().map(row -> Instant.parse(row.split(",")[1])).toList();
        assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Test
    void theCsvExportIgnoresTheJsonPageSize() {
        assertThat(page("&format=csv&limit=10").body().lines().count()).isEqualTo(EVENTS + 1);
    }

    @Test
    void theJsonViewPagesThroughEveryEventWithTheNextCursor() {
        List<JsonObject> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String before = null;
        do {
            JsonObject answer = page("&limit=1000" + (before == null ? "" : "&before=" + before)).json();
            List<JsonObject> events = answer.getJsonArray("events").stream().map(JsonObject.class::cast).toList();
            sizes.add(events.size());
            seen.addAll(events);
            before = answer.getString("next");
        } while (before != null);

        assertThat(sizes).containsExactly(1000, 1000, EVENTS - 2000);
        assertThat(seen.stream().map(event -> event.getLong("id")).distinct().count()).isEqualTo(EVENTS);
        assertThat(seen).isSortedAccordingTo(Comparator
                .comparing((JsonObject event) -> Instant.parse(event.getString("occurredAt")))
                .thenComparing(event -> event.getLong("id")).reversed());
    }

    @Test
    void aPageThatEndsExactlyAtTheLastEventHasNoNextCursor() {
        JsonObject first = page("&limit=1000").json();
        JsonObject second = page("&limit=1000&before=" + first.getString("next")).json();
        JsonObject last = page("&limit=" + (EVENTS - 2000) + "&before=" + second.getString("next")).json();
        assertThat(last.getJsonArray("events")).hasSize(EVENTS - 2000);
        assertThat(last.containsKey("next")).isFalse();
        assertThat(page("&limit=5").json().getString("next")).isNotBlank();
    }

    @Test
    void theCsvExportStartsAtACursorToo() {
        JsonObject first = page("&limit=1000").json();
        assertThat(page("&format=csv&before=" + first.getString("next")).body().lines().count())
                .isEqualTo(EVENTS - 1000 + 1);
    }

    @Test
    void aBadCursorIsA400NamingIt() {
        for (String bad : new String[] {"abc", "1.2.3", "12", ".5", "99999999999999999999.1", "999999999999999999.1",
                "-999999999999999999.1", "1.-5"}) {
            for (String format : new String[] {"json", "csv"}) {
                Api.Response refused = fixture.api().get("/api/v1/admin/activity?format=" + format + "&before=" + bad,
                        fixture.admin());
                assertThat(refused.status()).as(bad + " " + format + " → " + refused).isEqualTo(400);
                assertThat(refused.contentType()).startsWith("application/json");
                assertThat(refused.error()).isEqualTo("invalid_field");
                assertThat(refused.json().getString("message")).startsWith("before:");
            }
        }
    }
}
