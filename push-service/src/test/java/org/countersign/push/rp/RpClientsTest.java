package org.countersign.push.rp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.countersign.push.crypto.Tokens;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Relying-party clients: created by admins with a secret shown once and stored only as its SHA-256, listed without
 * it, revoked at once; a client authenticates with HTTP Basic, and anything else is a 401 JSON answer.
 */
class RpClientsTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.withoutSecurityDefaults().withAdminSignedIn();
    static final RpCalls rp = new RpCalls(fixture::api);

    private static Row clientRow(String clientId) {
        return fixture.service().sql("SELECT name, rate_per_second, created_by, revoked_at, last_used_at, "
                + "encode(secret_hash, 'hex') AS hash, row_to_json(c)::text AS everything FROM rp_clients c "
                + "WHERE client_id = '" + clientId.replaceAll("[^A-Za-z0-9_-]", "") + "'").iterator().next();
    }

    @Nested
    class Administration {
        @Test
        void creationShowsTheSecretOnceAndStoresOnlyItsHash() {
            Api.Response created = fixture.api().post("/api/v1/admin/rp-clients", new JsonObject()
                    .put("name", "Intranet").put("ratePerSecond", 25), fixture.admin());
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String clientId = created.string("clientId");
            String secret = created.string("clientSecret");
            assertThat(created.string("name")).isEqualTo("Intranet");
            assertThat(created.json().getInteger("ratePerSecond")).isEqualTo(25);
            assertThat(Base64.getUrlDecoder().decode(secret)).hasSizeGreaterThanOrEqualTo(32);

            Row row = clientRow(clientId);
            assertThat(row.getString("hash")).isEqualTo(HexFormat.of().formatHex(Tokens.hash(secret)));
            assertThat(row.getString("everything")).doesNotContain(secret);
            assertThat(row.getString("created_by")).isEqualTo(TestService.ADMIN);

            Api.Response listed = fixture.api().get("/api/v1/admin/rp-clients", fixture.admin());
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body()).doesNotContain(secret);
            JsonObject entry = listed.array("clients").stream().map(JsonObject.class::cast)
                    .filter(c -> c.getString("clientId").equals(clientId)).findFirst().orElseThrow();
            assertThat(entry.getString("name")).isEqualTo("Intranet");
            assertThat(entry.getBoolean("revoked")).isFalse();
            assertThat(entry.containsKey("clientSecret")).isFalse();
            assertThat(entry.containsKey("lastUsedAt")).isFalse();

            long audited = fixture.service().sql("SELECT count(*) AS n FROM audit_events "
                    + "WHERE type = 'rp_client.created' AND actor = 'admin' AND target = 'Intranet' "
                    + "AND detail::text NOT LIKE '%" + secret + "%'")
                    .iterator().next().getLong("n");
            assertThat(audited).isEqualTo(1);
        }

        @Test
        void theRateDefaultsAndANameIsUniqueAmongActiveClients() {
            Api.Response created = fixture.api().post("/api/v1/admin/rp-clients", new JsonObject().put("name", "Wiki"),
                    fixture.admin());
            assertThat(created.json().getInteger("ratePerSecond")).isEqualTo(RpClients.DEFAULT_RATE_PER_SECOND);
            Api.Response twice = fixture.api().post("/api/v1/admin/rp-clients", new JsonObject().put("name", "wiki"),
                    fixture.admin());
            assertThat(twice.status()).isEqualTo(409);
            assertThat(twice.error()).isEqualTo("name_taken");

            assertThat(fixture.api().delete("/api/v1/admin/rp-clients/" + created.string("clientId"), fixture.admin())
                    .status()).isEqualTo(200);
            assertThat(fixture.api().post("/api/v1/admin/rp-clients", new JsonObject().put("name", "Wiki"),
                    fixture.admin()).status()).isEqualTo(201);
        }

        @Test
        void onlyAdminsManageClients() {
            fixture.flows().createUser(fixture.admin(), "rp-plain-user", "disabled");
            Api.Response signIn = fixture.flows().signIn("rp-plain-user");
            String user = signIn.string("sessionToken");
            long before = fixture.service().count("rp_clients");

            assertThat(fixture.api().post("/api/v1/admin/rp-clients", new JsonObject().put("name", "Mine"), user)
                    .status()).isEqualTo(403);
            assertThat(fixture.api().get("/api/v1/admin/rp-clients", user).status()).isEqualTo(403);
            assertThat(fixture.api().post("/api/v1/admin/rp-clients", new JsonObject().put("name", "Anon"), null)
                    .status()).isEqualTo(401);
            assertThat(fixture.service().count("rp_clients")).isEqualTo(before);
        }

        @Test
        void badBodiesAreRefusedAndChangeNothing() {
            long before = fixture.service().count("rp_clients");
            Object[][] cases = {{"name", null}, {"name", 5}, {"name", "  "}, {"name", "n".repeat(65)},
                    {"ratePerSecond", "10"}, {"ratePerSecond", 0}, {"ratePerSecond", 1.5},
                    {"ratePerSecond", RpClients.MAX_RATE_PER_SECOND + 1}, {"colour", "red"}};
            for (Object[] bad : cases) {
                JsonObject body = new JsonObject().put("name", "Bad input app").put((String) bad[0], bad[1]);
                if (bad[1] == null) {
                    body.remove((String) bad[0]);
                }
                Api.Response refused = fixture.api().post("/api/v1/admin/rp-clients", body, fixture.admin());
                assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
                assertThat(refused.error()).isEqualTo("invalid_field");
            }
            assertThat(fixture.api().postRaw("/api/v1/admin/rp-clients", "[1]", "application/json", fixture.admin())
                    .status()).isEqualTo(400);
            assertThat(fixture.api().postRaw("/api/v1/admin/rp-clients", "{", "application/json", fixture.admin())
                    .status()).isEqualTo(400);
            assertThat(fixture.api().delete("/api/v1/admin/rp-clients/not-a-client", fixture.admin()).status())
                    .isEqualTo(404);
            assertThat(fixture.api().delete("/api/v1/admin/rp-clients/rp_doesnotexist", fixture.admin()).status())
                    .isEqualTo(404);
            assertThat(fixture.service().count("rp_clients")).isEqualTo(before);
        }
    }

    @Nested
    class ClientAuthentication {
        @Test
        void aWrongSecretAnUnknownClientOrAMalformedHeaderIsA401() {
            RpCalls.Client client = rp.createClient(fixture.admin(), "Auth app", 100);
            String body = RpCalls.push("nobody").encode();
            List<String> refusedHeaders = List.of(
                    RpCalls.basic(client.clientId() + ":" + client.secret() + "x"),
                    RpCalls.basic(client.clientId() + ":"),
                    RpCalls.basic(client.clientId()),
                    RpCalls.basic("rp_unknown:" + client.secret()),
                    "Basic !!!not-base64!!!",
                    "Bearer " + client.secret(),
                    "Basic " + "A".repeat(2000));
            String before = fixture.service().snapshot();
            for (String header : refusedHeaders) {
                RpCalls.Response refused = rp.check(header, body);
                assertThat(refused.status()).as(header).isEqualTo(401);
                assertThat(refused.error()).isEqualTo("invalid_client");
                assertThat(refused.json().getString("message")).isNotBlank();
            }
            RpCalls.Response none = rp.check((String) null, body);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.error()).isEqualTo("invalid_client");
            assertThat(fixture.service().snapshot()).isEqualTo(before);

            RpCalls.Response accepted = rp.check(client, RpCalls.push("nobody"));
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(404);
            assertThat(accepted.error()).isEqualTo("unknown_user");
            assertThat(clientRow(client.clientId()).getOffsetDateTime("last_used_at")).isNotNull();
        }

        @Test
        void aRevokedClientIsRefusedAtOnce() {
            RpCalls.Client client = rp.createClient(fixture.admin(), "Revoked app", 100);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(404);

            Api.Response revoked = fixture.api().delete("/api/v1/admin/rp-clients/" + client.clientId(),
                    fixture.admin());
            assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
            assertThat(revoked.json().getBoolean("revoked")).isTrue();

            RpCalls.Response refused = rp.check(client, RpCalls.push("nobody"));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.error()).isEqualTo("invalid_client");
            assertThat(clientRow(client.clientId()).getOffsetDateTime("revoked_at")).isNotNull();
            assertThat(fixture.api().delete("/api/v1/admin/rp-clients/" + client.clientId(), fixture.admin()).status())
                    .isEqualTo(404);
            long audited = fixture.service().sql("SELECT count(*) AS n FROM audit_events "
                    + "WHERE type = 'rp_client.revoked' AND actor = 'admin' AND target = 'Revoked app'")
                    .iterator().next().getLong("n");
            assertThat(audited).isEqualTo(1);
        }

        /** Another node revokes: this node's cache of verified clients forgets it within its time to live. */
        @Test
        void aRevocationMadeElsewhereTakesEffectWithinTheCacheLifetime() {
            RpCalls.Client client = rp.createClient(fixture.admin(), "Cached app", 100);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(404);
            fixture.service().sql("UPDATE rp_clients SET revoked_at = now() WHERE client_id = '"
                    + client.clientId() + "'");

            fixture.clock().advance(ClientAuthenticator.CACHE_TTL);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(401);
        }
    }

    @Nested
    class RateLimit {
        @Test
        void beyondItsRateAClientIsToldWhenToRetryAndTheBucketRefills() {
            RpCalls.Client client = rp.createClient(fixture.admin(), "Slow app", 2);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(404);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(404);

            String before = fixture.service().snapshot();
            RpCalls.Response limited = rp.check(client, RpCalls.push("nobody"));
            assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
            assertThat(limited.error()).isEqualTo("rate_limited");
            assertThat(limited.header("Retry-After")).isEqualTo("1");
            assertThat(fixture.service().snapshot()).isEqualTo(before);

            RpCalls.Client other = rp.createClient(fixture.admin(), "Other fast app", 100);
            assertThat(rp.check(other, RpCalls.push("nobody")).status()).as("limits are per client").isEqualTo(404);

            fixture.clock().advance(Duration.ofMillis(500));
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(404);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(429);
            fixture.clock().advance(Duration.ofSeconds(1));
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(404);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(404);
            assertThat(rp.check(client, RpCalls.push("nobody")).status()).isEqualTo(429);
        }
    }
}
