package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bulk update of per-user MFA states from a CSV file: every row validated first, all or nothing. */
class BulkMfaUpdateTest {
    static final String PATH = "/api/v1/admin/users/bulk-mfa";

    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();
    static final AdminCalls calls = new AdminCalls(fixture::api);

    @BeforeAll
    static void fourUsers() {
        for (String name : List.of("bk-ann", "bk-bob", "bk-cat", "bk-dan")) {
            fixture.flows().createUser(fixture.admin(), name, "disabled");
        }
    }

    private static Api.Response upload(String csv) {
        return upload(csv.getBytes(StandardCharsets.UTF_8), "text/csv");
    }

    private static Api.Response upload(byte[] csv, String type) {
        return calls.postBytes(PATH, csv, type, fixture.admin());
    }

    private static String users() {
        return fixture.service().sql("SELECT string_agg(username || '=' || mfa_state, ',' ORDER BY username) AS s "
                + "FROM users").iterator().next().getString("s");
    }

    private static void assertRejected(Api.Response response, String messagePart) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_csv");
        assertThat(response.json().getString("message")).contains(messagePart).contains("othing was changed");
    }

    @Nested
    class AValidFile {
        @Test
        void isAppliedInOneGoAndEachChangeIsAudited() {
            fixture.service().sql("UPDATE users SET mfa_state = 'disabled' WHERE username LIKE 'bk-%'");
            long events = fixture.service().count("audit_events");
            long lastId = fixture.service().sql("SELECT coalesce(max(id), 0) AS m FROM audit_events").iterator().next()
                    .getLong("m");
            String csv = "\uFEFF  username , mfa status \r\nbk-ann,Enabled\r\n\"BK-BOB\",ENFORCED\r\n\r\n"
                    + "bk-cat,disabled\r\n";
            Api.Response applied = upload(csv);

            assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
            assertThat(applied.json().getInteger("applied")).isEqualTo(3);
            assertThat(applied.json().getInteger("changed")).isEqualTo(2);
            JsonObject bob = applied.array("rows").getJsonObject(1);
            assertThat(bob.getInteger("line")).isEqualTo(3);
            assertThat(bob.getString("username")).isEqualTo("bk-bob");
            assertThat(bob.getString("mfaStatus")).isEqualTo("enforced");
            assertThat(bob.getString("previous")).isEqualTo("disabled");
            assertThat(bob.getBoolean("changed")).isTrue();
            assertThat(users()).contains("bk-ann=enabled", "bk-bob=enforced", "bk-cat=disabled");

            assertThat(fixture.service().count("audit_events WHERE type = 'admin.mfa_state_changed' "
                    + "AND actor = 'admin' AND detail->>'via' = 'bulk_csv' AND id > " + lastId)).isEqualTo(2);
            assertThat(fixture.service().count("audit_events") - events).isEqualTo(3);
            assertThat(fixture.service().count("audit_events WHERE type = 'admin.bulk_mfa' AND outcome = 'success'"))
                    .isEqualTo(1);
        }

        @Test
        void mayComeAsAnOctetStream() {
            Api.Response applied = upload("Username,MFA Status\nbk-dan,Enforced\n".getBytes(StandardCharsets.UTF_8),
                    "application/octet-stream");
            assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
            assertThat(users()).contains("bk-dan=enforced");
        }
    }

    @Nested
    class OneBadRow {
        @Test
        void amongGoodOnesChangesNothingAndIsReported() {
            String before = fixture.service().snapshot();
            Api.Response rejected = upload("Username,MFA Status\nbk-ann,Enforced\nbk-bob,Sometimes\nbk-cat,Enabled\n");
            assertRejected(rejected, "1 of 3 rows have errors");
            JsonArray rows = rejected.array("rows");
            assertThat(rows).hasSize(3);
            assertThat(rows.getJsonObject(0).containsKey("error")).isFalse();
            JsonObject bad = rows.getJsonObject(1);
            assertThat(bad.getInteger("line")).isEqualTo(3);
            assertThat(bad.getString("username")).isEqualTo("bk-bob");
            assertThat(bad.getString("mfaStatus")).isEqualTo("Sometimes");
            assertThat(bad.getString("error")).contains("Disabled, Enabled or Enforced");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }

        @Test
        void ofEachKindIsNamedOnItsLine() {
            String before = users();
            Api.Response rejected = upload("Username,MFA Status\nbk-ann,Enabled\nghost,Enabled\nbk-bob,Maybe\n"
                    + "BK-ANN,Enforced\nbk-cat,Enabled,extra\n,Enabled\nbk-dan\n");
            assertRejected(rejected, "6 of 7 rows have errors");
            List<String> errors = rejected.array("rows").stream().map(JsonObject.class::cast)
                    .map(row -> row.getInteger("line") + ":" + row.getString("error", "")).toList();
            assertThat(errors.get(0)).isEqualTo("2:");
            assertThat(errors.get(1)).startsWith("3:").contains("No user named 'ghost'");
            assertThat(errors.get(2)).startsWith("4:").contains("MFA Status");
            assertThat(errors.get(3)).startsWith("5:").contains("Duplicate of line 2");
            assertThat(errors.get(4)).startsWith("6:").contains("Expected 2 columns").contains("found 3");
            assertThat(errors.get(5)).startsWith("7:").contains("Username is empty");
            assertThat(errors.get(6)).startsWith("8:").contains("found 1");
            assertThat(users()).isEqualTo(before);
        }
    }

    @Nested
    class ABadFile {
        @Test
        void isRejectedAsAWholeWithAClearMessage() {
            String before = fixture.service().snapshot();
            assertRejected(upload("Name,Status\nbk-ann,Enabled\n"), "header 'Username,MFA Status'");
            assertRejected(upload("Username;MFA Status\nbk-ann;Enabled\n"), "header");
            assertRejected(upload(""), "empty");
            assertRejected(upload("\n\n"), "empty");
            assertRejected(upload("Username,MFA Status\n"), "no rows");
            assertRejected(upload("Username,MFA Status\n\"bk-ann,Enabled\n"), "never closed");
            StringBuilder many = new StringBuilder("Username,MFA Status\n");
            for (int i = 0; i <= 5000; i++) {
                many.append("bk-ann,Enabled\n");
            }
            assertRejected(upload(many.toString()), "at most 5000");
            byte[] latin1 = "Username,MFA Status\nbk-änn,Enabled\n".getBytes(StandardCharsets.ISO_8859_1);
            assertRejected(upload(latin1, "text/csv"), "not UTF-8");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }

        @Test
        void ofTheWrongTypeOrSizeIsRefusedBeforeItIsRead() {
            String before = fixture.service().snapshot();
            Api.Response json = upload("Username,MFA Status\nbk-ann,Enabled\n".getBytes(StandardCharsets.UTF_8),
                    "application/json");
            assertThat(json.status()).isEqualTo(415);
            assertThat(json.error()).isEqualTo("unsupported_media_type");
            byte[] huge = new byte[1024 * 1024 + 1];
            java.util.Arrays.fill(huge, (byte) 'a');
            Api.Response tooLarge = upload(huge, "text/csv");
            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(tooLarge.error()).isEqualTo("body_too_large");
            assertThat(fixture.service().snapshot()).isEqualTo(before);
        }
    }
}
