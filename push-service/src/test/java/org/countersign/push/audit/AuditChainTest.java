package org.countersign.push.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.countersign.push.commands.VerifyAuditCommand;
import org.countersign.push.db.DatabasePool;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * The tamper-evident audit log: events from a real run are sealed into a hash chain after the fact; editing,
 * deleting, reordering or forging an event makes both {@code verify-audit} and the admin API name the first broken
 * link; late commits are sealed later; two sealers on one database never fork the chain. Tamper tests restore the
 * log afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditChainTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation();
    static String admin;

    @BeforeAll
    static void aSealedLogAndItsBackup() {
        // this test seals explicitly, so that it knows what is sealed when; the periodic sealer calls the same code
        fixture.service().server.auditSealer().stop();
        admin = fixture.flows().adminToken();
        for (int i = 0; i < 12; i++) {
            fixture.flows().createUser(admin, "audited" + i, i % 2 == 0 ? "enforced" : "disabled");
            fixture.flows().signIn("audited" + i);
        }
        TestService.await(fixture.service().server.auditSealer().sealAll());
        fixture.service().sql("CREATE TABLE audit_backup AS SELECT * FROM audit_events");
        fixture.service().sql("CREATE TABLE head_backup AS SELECT * FROM audit_chain_head");
    }

    @AfterEach
    void restore() {
        fixture.service().sql("DELETE FROM audit_events WHERE id NOT IN (SELECT id FROM audit_backup) OR id IN "
                + "(SELECT id FROM audit_backup WHERE chain_position IS NOT NULL); "
                + "INSERT INTO audit_events SELECT * FROM audit_backup WHERE chain_position IS NOT NULL "
                + "ON CONFLICT DO NOTHING; "
                + "UPDATE audit_chain_head h SET position = b.position, hash = b.hash FROM head_backup b");
    }

    /** verify-audit's exit code and its output (standard output and error). */
    record Verdict(int exit, String output) {
    }

    private static Verdict command() {
        var db = fixture.service().database;
        String url = "postgresql://" + db.user() + ":" + db.password() + "@" + db.host() + ":" + db.port() + "/"
                + db.database();
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new VerifyAuditCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(out, true));
        int exit = command.execute("--database-url", url);
        return new Verdict(exit, out.toString());
    }

    private static JsonObject api() {
        var answer = fixture.api().get("/api/v1/admin/activity/verify", admin);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    private static long sealedCount() {
        return fixture.service().sql("SELECT count(*) AS n FROM audit_events WHERE chain_position IS NOT NULL")
                .iterator().next().getLong("n");
    }

    /** The event at a chain position: {id, position}. */
    private static long idAt(long position) {
        return fixture.service().sql("SELECT id FROM audit_events WHERE chain_position = " + position).iterator().next()
                .getLong("id");
    }

    private static void assertBrokenAt(long eventId, long position, String problem) {
        Verdict verdict = command();
        assertThat(verdict.exit()).as(verdict.output()).isEqualTo(2);
        assertThat(verdict.output()).contains("BROKEN").contains("chain position " + position)
                .contains("event " + eventId).contains(problem);
        JsonObject json = api();
        assertThat(json.getBoolean("intact")).isFalse();
        JsonObject broken = json.getJsonObject("firstBroken");
        assertThat(broken.getLong("eventId")).isEqualTo(eventId);
        assertThat(broken.getLong("position")).isEqualTo(position);
        assertThat(broken.getString("problem")).contains(problem);
    }

    @Test
    @Order(1)
    void aRealRunsEventsFormAnIntactChain() {
        long sealed = sealedCount();
        assertThat(sealed).isGreaterThan(20);
        assertThat(fixture.service().count("audit_events")).isEqualTo(sealed);

        Verdict verdict = command();
        assertThat(verdict.exit()).as(verdict.output()).isZero();
        assertThat(verdict.output()).contains("audit chain intact: " + sealed + " events sealed, 0 not yet sealed");
        JsonObject json = api();
        assertThat(json.getBoolean("intact")).isTrue();
        assertThat(json.getLong("sealed")).isEqualTo(sealed);
        assertThat(json.containsKey("firstBroken")).isFalse();
        List<Long> positions = new ArrayList<>();
        fixture.service().sql("SELECT chain_position FROM audit_events ORDER BY chain_position")
                .forEach(row -> positions.add(row.getLong("chain_position")));
        assertThat(positions).isEqualTo(java.util.stream.LongStream.rangeClosed(1, sealed).boxed().toList());
    }

    @Test
    @Order(2)
    void editingAnEventsDetailBreaksTheLinkOfThatEvent() {
        long id = idAt(10);
        fixture.service().sql("UPDATE audit_events SET detail = detail || '{\"outcome\":\"rewritten\"}' WHERE id = "
                + id);
        assertBrokenAt(id, 10, "differs");
    }

    @Test
    @Order(3)
    void editingTheOutcomeOrActorIsFoundToo() {
        long id = idAt(3);
        fixture.service().sql("UPDATE audit_events SET actor = 'someone-else' WHERE id = " + id);
        assertBrokenAt(id, 3, "differs");
    }

    @Test
    @Order(4)
    void deletingAnEventLeavesAGapAtItsPosition() {
        long next = idAt(8);
        fixture.service().sql("DELETE FROM audit_events WHERE chain_position = 7");
        assertBrokenAt(next, 7, "missing");
    }

    @Test
    @Order(5)
    void deletingTheLastEventsIsFoundAgainstTheHead() {
        long sealed = sealedCount();
        fixture.service().sql("DELETE FROM audit_events WHERE chain_position >= " + (sealed - 1));
        Verdict verdict = command();
        assertThat(verdict.exit()).isEqualTo(2);
        assertThat(verdict.output()).contains("chain position " + (sealed - 1)).contains("deleted from the end");
        assertThat(api().getJsonObject("firstBroken").getLong("position")).isEqualTo(sealed - 1);
    }

    @Test
    @Order(6)
    void swappingTwoEventsBreaksTheLinkAtTheEarlierPosition() {
        long fifth = idAt(5);
        long ninth = idAt(9);
        fixture.service().sql("UPDATE audit_events SET chain_position = -5 WHERE id = " + fifth + "; "
                + "UPDATE audit_events SET chain_position = 5 WHERE id = " + ninth + "; "
                + "UPDATE audit_events SET chain_position = 9 WHERE id = " + fifth);
        assertBrokenAt(ninth, 5, "differs");
    }

    @Test
    @Order(7)
    void aForgedEventWithAValidHashInsertedInTheMiddleBreaksTheNextLink() {
        long original = idAt(6);
        Row previous = fixture.service().sql("SELECT chain_hash FROM audit_events WHERE chain_position = 5").iterator()
                .next();
        // make room at position 6 (through negative positions, to keep the unique constraint satisfied)
        fixture.service().sql("UPDATE audit_events SET chain_position = -chain_position WHERE chain_position >= 6; "
                + "UPDATE audit_events SET chain_position = -chain_position + 1 WHERE chain_position < 0");
        long forgedId = fixture.service().sql("INSERT INTO audit_events "
                + "(occurred_at, type, actor, target, outcome, detail) "
                + "VALUES (now(), 'user.created', 'admin', 'ghost', 'success', '{}') RETURNING id").iterator().next()
                .getLong("id");
        Row forged = fixture.service().sql("SELECT " + AuditChain.COLUMNS + " FROM audit_events WHERE id = " + forgedId)
                .iterator().next();
        byte[] hash = AuditChain.link(previous.getBuffer("chain_hash").getBytes(), 6, ChainRows.event(forged));
        TestService.await(fixture.service().pool.preparedQuery("UPDATE audit_events "
                + "SET chain_position = 6, chain_hash = $1 WHERE id = $2")
                .execute(Tuple.of(Buffer.buffer(hash), forgedId)));

        assertBrokenAt(original, 7, "differs");
    }

    @Test
    @Order(8)
    void aForgedEventAppendedPastTheHeadIsFound() {
        long sealed = sealedCount();
        fixture.service().sql("INSERT INTO audit_events "
                + "(occurred_at, type, actor, target, outcome, detail, chain_position, chain_hash) "
                + "VALUES (now(), 'user.created', 'admin', 'ghost', 'success', '{}', " + (sealed + 1)
                + ", decode(repeat('ab', 32), 'hex'))");
        Verdict verdict = command();
        assertThat(verdict.exit()).isEqualTo(2);
        assertThat(verdict.output()).contains("chain position " + (sealed + 1));
        assertThat(api().getBoolean("intact")).isFalse();
    }

    @Test
    @Order(9)
    void anEventCommittedAfterAHigherIdWasSealedIsSealedLater() {
        SqlConnection late = TestService.await(fixture.service().pool.getConnection());
        try {
            var transaction = TestService.await(late.begin());
            long lateId = TestService.await(late.query("INSERT INTO audit_events (occurred_at, type, actor, outcome) "
                    + "VALUES (now(), 'test.late', 'tester', 'success') RETURNING id").execute()).iterator().next()
                    .getLong("id");
            long earlyId = fixture.service().sql("INSERT INTO audit_events (occurred_at, type, actor, outcome) "
                    + "VALUES (now(), 'test.early', 'tester', 'success') RETURNING id").iterator().next().getLong("id");
            assertThat(earlyId).isGreaterThan(lateId);
            TestService.await(fixture.service().server.auditSealer().sealAll());
            assertThat(api().getBoolean("intact")).isTrue();

            TestService.await(transaction.commit());
            assertThat(api().getLong("unsealed")).isGreaterThanOrEqualTo(1);
            TestService.await(fixture.service().server.auditSealer().sealAll());

            long earlyPosition = position(earlyId);
            long latePosition = position(lateId);
            assertThat(latePosition).isGreaterThan(earlyPosition);
            Verdict verdict = command();
            assertThat(verdict.exit()).as(verdict.output()).isZero();
            assertThat(verdict.output()).contains("0 not yet sealed");
        } finally {
            late.close();
        }
        refreshBackup();
    }

    private static long position(long id) {
        return fixture.service().sql("SELECT chain_position FROM audit_events WHERE id = " + id).iterator().next()
                .getLong("chain_position");
    }

    private static void refreshBackup() {
        fixture.service().sql("DELETE FROM audit_backup; INSERT INTO audit_backup SELECT * FROM audit_events; "
                + "DELETE FROM head_backup; INSERT INTO head_backup SELECT * FROM audit_chain_head");
    }

    @Test
    @Order(10)
    void twoSealersOnOneDatabaseNeverForkTheChain() {
        Pool otherNode = DatabasePool.create(fixture.service().vertx, fixture.service().database, 4);
        AuditSealer second = new AuditSealer(fixture.service().vertx, otherNode, fixture.clock());
        AuditSealer first = fixture.service().server.auditSealer();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                List<Tuple> events = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    events.add(Tuple.of("test.bulk", "node" + (i % 2), "round " + round));
                }
                work.add((i(round) ? fixture.service().pool : otherNode).preparedQuery("INSERT INTO audit_events "
                        + "(occurred_at, type, actor, outcome) VALUES (now(), $1, $2, $3)").executeBatch(events));
                work.add(first.sealAll());
                work.add(second.sealAll());
            }
            TestService.await(Future.all(work));
            TestService.await(first.sealAll());
            TestService.await(second.sealAll());

            Verdict verdict = command();
            assertThat(verdict.exit()).as(verdict.output()).isZero();
            long total = fixture.service().count("audit_events");
            assertThat(verdict.output()).contains("audit chain intact: " + total + " events sealed, 0 not yet sealed");
            Row range = fixture.service().sql("SELECT min(chain_position) AS lo, max(chain_position) AS hi, "
                    + "count(DISTINCT chain_position) AS n FROM audit_events").iterator().next();
            assertThat(range.getLong("lo")).isEqualTo(1);
            assertThat(range.getLong("hi")).isEqualTo(total);
            assertThat(range.getLong("n")).isEqualTo(total);
        } finally {
            TestService.await(otherNode.close());
        }
        refreshBackup();
    }

    private static boolean i(int round) {
        return round % 2 == 0;
    }

    @Test
    @Order(11)
    void onlyAdminsMayVerify() {
        assertThat(fixture.api().get("/api/v1/admin/activity/verify").status()).isEqualTo(401);
        assertThat(Optional.ofNullable(api().getLong("sealed"))).isPresent();
    }
}
