package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The activity view: the audit log, filtered by user, type and time, as JSON or CSV. */
class ActivityTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static Instant started;

    @BeforeAll
    static void aPushSignInAndAWrongPassword() {
        started = fixture.clock().instant();
        fixture.flows().createUser(fixture.admin(), "act-ann", "enforced");
        try (TestDevice device = fixture.flows().registerDevice("act-ann")) {
            fixture.clock().advance(Duration.ofMinutes(5));
            fixture.flows().signInWithPush("act-ann", device);
        }
        fixture.clock().advance(Duration.ofMinutes(5));
        fixture.api().post("/api/v1/sign-ins", new JsonObject().put("username", "=HYPERLINK(\"http://x\",\"a,b\")")
                .put("password", "wrong password").put("app", "x"));
    }

    private static List<JsonObject> events(String query) {
        Api.Response response = fixture.api().get("/api/v1/admin/activity" + query, fixture.admin());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.array("events").stream().map(JsonObject.class::cast).toList();
    }

    @Nested
    class AsJson {
        @Test
        void listsEventsNewestFirstWithEveryField() {
            List<JsonObject> events = events("");
            assertThat(events).isNotEmpty();
            JsonObject first = events.get(0);
            assertThat(first.fieldNames()).contains("id", "occurredAt", "type", "actor", "target", "outcome",
                    "detail");
            List<Instant> times = events.stream().map(e -> Instant.parse(e.getString("occurredAt"))).toList();
            assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        }

        @Test
        void recordsTheWholeStoryOfASignInWithMfa() {
            List<String> types = events("?user=act-ann&limit=1000").stream()
                    .map(e -> e.getString("type") + "/" + e.getString("outcome")).toList();
            assertThat(types).contains("admin.user_created/success", "sign_in/registration_required",
                    "registration.started/success", "registration.activated/success", "registration.test/approved",
                    "sign_in/mfa_requested", "sign_in.mfa/approved");
        }

        @Test
        void filtersByUserAsActorOrTargetWhateverTheCase() {
            List<JsonObject> events = events("?user=ACT-ANN");
            assertThat(events).isNotEmpty().allMatch(e -> "act-ann".equals(e.getString("actor"))
                    || "act-ann".equals(e.getString("target")));
            assertThat(events).anyMatch(e -> e.getString("actor").equals("admin"));
        }

        @Test
        void filtersByTypeExactlyOrAsAPrefixUpToADot() {
            List<String> signIns = events("?type=sign_in&limit=1000").stream().map(e -> e.getString("type"))
                    .distinct().toList();
            assertThat(signIns).contains("sign_in", "sign_in.mfa", "sign_in.password").allMatch(
                    type -> type.equals("sign_in") || type.startsWith("sign_in."));
            assertThat(events("?type=sign_in.mfa").stream().map(e -> e.getString("type")).distinct().toList())
                    .containsExactly("sign_in.mfa");
            assertThat(events("?type=sign")).isEmpty();
            assertThat(events("?type=sign_i_")).isEmpty();
        }

        @Test
        void filtersByTimeInclusiveAndLimits() {
            Instant mfa = started.plus(Duration.ofMinutes(5));
            List<JsonObject> window = events("?from=" + mfa + "&to=" + mfa);
            assertThat(window).isNotEmpty().allMatch(e -> Instant.parse(e.getString("occurredAt")).equals(mfa));
            assertThat(events("?from=" + mfa.plusSeconds(1) + "&type=sign_in.mfa")).isEmpty();
            assertThat(events("?to=2026-11-23T10:05:00%2B01:00&type=sign_in.mfa")).hasSize(1);
            assertThat(events("?limit=2")).hasSize(2);
        }

        @Test
        void refusesMalformedFiltersNamingTheField() {
            for (String[] bad : new String[][] {{"from=yesterday", "from"}, {"to=2026-13-01T00:00:00Z", "to"},
                    {"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=ten", "limit"}, {"format=xml", "format"},
                    {"type=Sign%20In", "type"},
                    {"from=2026-11-24T00:00:00Z&to=2026-11-23T00:00:00Z", "from"}}) {
                Api.Response refused = fixture.api().get("/api/v1/admin/activity?" + bad[0], fixture.admin());
                assertThat(refused.status()).as(bad[0] + " → " + refused).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
                assertThat(refused.json().getString("message")).startsWith(bad[1]);
            }
        }
    }

    @Nested
    class AsCsv {
        @Test
        void hasAHeaderRowAndQuotesAndNeutralisesFormulaCells() {
            Api.Response csv = fixture.api().get("/api/v1/admin/activity?format=csv&type=sign_in.password",
                    fixture.admin());
            assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
            assertThat(csv.contentType()).startsWith("text/csv");
            String[] lines = csv.body().split("\r\n");
            assertThat(lines[0]).isEqualTo("id,occurredAt,type,actor,target,outcome,detail");
            assertThat(lines).hasSize(2);
            assertThat(lines[1]).contains(",sign_in.password,\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\",")
                    .contains(",failure,\"{\"\"reason\"\":\"\"unknown_user\"\"}\"");
        }

        @Test
        void quotesNothingThatNeedsNoQuotes() {
            assertThat(ActivityCsv.cell("plain")).isEqualTo("plain");
            assertThat(ActivityCsv.cell("-1+2")).isEqualTo("'-1+2");
            assertThat(ActivityCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
            assertThat(ActivityCsv.cell("+1")).isEqualTo("'+1");
            assertThat(ActivityCsv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
        }
    }
}
