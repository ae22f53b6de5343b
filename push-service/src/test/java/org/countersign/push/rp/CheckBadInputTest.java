package org.countersign.push.rp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.countersign.push.testing.ServiceFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad check requests get a 4xx JSON answer naming the problem, and change nothing (no row, no audit event). */
class CheckBadInputTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static final RpCalls rp = new RpCalls(fixture::api);
    static RpCalls.Client client;

    @BeforeAll
    static void aClientAndAUserWithADevice() {
        client = rp.createClient(fixture.admin(), "Careless app", 100_000);
        fixture.flows().enforcedUserWithDevice(fixture.admin(), "rp-target");
    }

    /** Every table that holds state; a client's last use is not state, as using the API is what it records. */
    private String state() {
        // the whole rp_clients row changes with its last use: compare it below without that column
        return fixture.service().snapshot().replaceAll("(?m)^rp_clients=.*$", "") + "audit="
                + fixture.service().count("audit_events") + ";clients="
                + fixture.service().sql("SELECT md5(string_agg("
                        + "concat_ws(',', id, name, secret_hash, rate_per_second, revoked_at), "
                        + "'|' ORDER BY id)) AS h FROM rp_clients")
                        .iterator().next().getString("h");
    }

    @Test
    void badFieldsAreRefusedWith400() {
        JsonObject push = RpCalls.push("rp-target");
        JsonObject totp = RpCalls.totp("rp-target", "123456");
        JsonObject[] bodies = {
                push.copy().put("username", (Object) null), push.copy().put("username", 42),
                push.copy().put("username", new JsonArray().add("rp-target")), push.copy().put("username", ""),
                push.copy().put("username", "u".repeat(129)), push.copy().put("username", "rp\u0000target"),
                push.copy().put("factor", (Object) null), push.copy().put("factor", "sms"),
                push.copy().put("factor", "PUSH"), push.copy().put("factor", true),
                push.copy().put("code", "123456"), totp.copy().put("code", (Object) null),
                totp.copy().put("code", "12345"), totp.copy().put("code", "abcdef"), totp.copy().put("code", 123456),
                push.copy().put("app", (Object) null), push.copy().put("app", 7),
                push.copy().put("ip", "not-an-ip"), push.copy().put("ip", 203),
                push.copy().put("location", new JsonObject()), push.copy().put("password", "x"),
        };
        String before = state();
        for (JsonObject body : bodies) {
            RpCalls.Response refused = rp.check(client, body);
            assertThat(refused.status()).as(body.encode() + " → " + refused).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_field");
            assertThat(refused.json().getString("message")).isNotBlank();
        }
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void bodiesThatAreNotAJsonObjectAreRefused() {
        String before = state();
        for (String body : new String[] {"", "{", "[]", "\"push\"", "null", "42"}) {
            RpCalls.Response refused = rp.check(client.authorization(), body);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_json");
        }
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void badReadsAreRefused() {
        String before = state();
        for (String wait : new String[] {"61", "-1", "abc", "1.5", "9999"}) {
            RpCalls.Response refused = rp.get(client, "/api/v1/rp/checks/" + java.util.UUID.randomUUID()
                    + "?waitSeconds=" + wait);
            assertThat(refused.status()).as(wait).isEqualTo(400);
            assertThat(refused.error()).isEqualTo("invalid_field");
        }
        for (String id : new String[] {"not-a-uuid", java.util.UUID.randomUUID().toString(), "%00"}) {
            RpCalls.Response missing = rp.get(client, "/api/v1/rp/checks/" + id);
            assertThat(missing.status()).as(id).isEqualTo(404);
            assertThat(missing.error()).isEqualTo("not_found");
        }
        assertThat(state()).isEqualTo(before);
    }
}
