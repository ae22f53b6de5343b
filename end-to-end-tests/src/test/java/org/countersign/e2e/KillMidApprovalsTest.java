package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.ChannelError;
import org.countersign.protocol.ChannelMessage;
import org.countersign.protocol.Decision;
import org.countersign.push.db.DatabaseSettings;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service process is killed with SIGKILL while many sign-ins are being answered at once, over the channel and
 * over HTTP (sometimes both for the same sign-in), then started again on the same database and port: no sign-in is
 * decided twice, none is lost, every answer a client saw accepted is still there, and each device that reconnects
 * gets every request still pending.
 */
class KillMidApprovalsTest {
    private static final int USERS = 10;
    private static final int DECIDED_BEFORE_KILL = 40;

    @TempDir
    Path temp;

    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final Map<String, String> created = new ConcurrentHashMap<>();
    private final List<String> outcomes = new CopyOnWriteArrayList<>();

    @Test
    void aKilledServiceDecidesEachSignInOnceAndLosesNone() throws Exception {
        DatabaseSettings database = TestPostgres.freshDatabase();
        Path dataDir = Files.createDirectory(temp.resolve("data"));
        int port = ServiceProcess.freePort();
        List<String> log = new CopyOnWriteArrayList<>();
        ServiceProcess service = ServiceProcess.start(database, dataDir, port, log);
        Api api = new Api("http://127.0.0.1:" + port);
        ProcessFlows flows = new ProcessFlows(api);
        String admin = flows.adminToken();
        Map<String, TestDevice> devices = new TreeMap<>();
        for (int i = 0; i < USERS; i++) {
            devices.put("user" + i, flows.enforcedUserWithDevice(admin, "user" + i));
        }

        // two more users whose phones are offline: their sign-ins are surely pending when the service dies
        Map<String, TestDevice> offline = new TreeMap<>();
        for (String username : List.of("offline0", "offline1")) {
            TestDevice device = flows.enforcedUserWithDevice(admin, username);
            device.close();
            offline.put(username, device);
        }

        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger decided = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, TestDevice> user : devices.entrySet()) {
            int mode = index++;
            Thread worker = new Thread(() -> answerUntilKilled(flows, api, user.getKey(), user.getValue(), mode,
                    killed, decided), "signer-" + user.getKey());
            workers.add(worker);
            worker.start();
        }
        while (decided.get() < DECIDED_BEFORE_KILL && workers.stream().anyMatch(Thread::isAlive)) {
            Thread.sleep(20);
        }
        for (String username : offline.keySet()) {
            Api.Response pending = signInRetryingWhileOverloaded(flows, username);
            assertThat(pending.string("state")).as(pending.toString()).isEqualTo("pending");
            created.put(pending.string("signInId"), username);
        }
        killed.set(true);
        service.kill();
        for (Thread worker : workers) {
            worker.join(60_000);
        }

        try (ServiceProcess again = ServiceProcess.start(database, dataDir, port, log);
                Connection db = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                        database.password())) {
            Map<String, String> states = states(db);
            Map<String, Long> byState = new TreeMap<>();
            states.values().forEach(state -> byState.merge(state, 1L, Long::sum));
            Map<String, Long> byOutcome = new TreeMap<>();
            outcomes.forEach(outcome -> byOutcome.merge(outcome, 1L, Long::sum));
            System.out.printf("KillMidApprovalsTest: %d sign-ins started by %d answering users and 2 offline ones"
                    + " before SIGKILL; client outcomes %s; in the database after the restart %s%n",
                    created.size(), USERS, byOutcome, byState);

            assertThat(states.keySet()).as("every sign-in a client saw created is stored")
                    .containsAll(created.keySet());
            seen.forEach((id, state) -> assertThat(states.get(id)).as("what the client was told about " + id)
                    .isEqualTo(state));
            assertThat(rows(db, "SELECT id FROM sign_ins WHERE (state IN ('approved', 'denied')) <> (decided_at IS"
                    + " NOT NULL)")).as("decided_at set exactly for decided sign-ins").isEmpty();
            assertThat(rows(db, "SELECT detail->>'signInId' FROM audit_events WHERE type = 'sign_in.mfa' GROUP BY 1"
                    + " HAVING count(*) > 1")).as("sign-ins with two MFA decisions in the audit log").isEmpty();
            assertThat(rows(db, "SELECT s.id FROM sign_ins s WHERE s.kind = 'sign-in' AND s.state IN ('approved',"
                    + " 'denied') AND s.method = 'push' AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE"
                    + " a.type = 'sign_in.mfa' AND a.detail->>'signInId' = s.id::text)"))
                    .as("decisions without their audit event").isEmpty();
            assertThat(rows(db, "SELECT u.username FROM users u WHERE u.username LIKE 'user%' AND (SELECT count(*)"
                    + " FROM sessions x WHERE x.user_id = u.id AND x.scope = 'full') > (SELECT count(*) FROM sign_ins s"
                    + " WHERE s.user_id ="
                    + " u.id AND s.kind = 'sign-in' AND s.state = 'approved' AND s.result_claimed)"))
                    .as("users with more full sessions than claimed approvals").isEmpty();
            Map<String, TestDevice> all = new TreeMap<>(devices);
            all.putAll(offline);
            int resent = everyPendingRequestReachesTheReconnectedDevice(db, all);
            assertThat(resent).as("pending requests re-sent").isGreaterThanOrEqualTo(offline.size());
            System.out.printf("KillMidApprovalsTest: after the restart %d pending requests were re-sent to the %d"
                    + " reconnected devices%n", resent, all.size());
        }
    }

    private void answerUntilKilled(ProcessFlows flows, Api api, String username, TestDevice device, int mode,
                                   AtomicBoolean killed, AtomicInteger decided) {
        for (int round = 0; !killed.get(); round++) {
            try {
                Api.Response started = flows.signIn(username);
                if (started.status() != 200 || !"pending".equals(started.string("state"))) {
                    outcomes.add("not started " + started.status());
                    if (started.status() == 503) {
                        Thread.sleep(1000); // Retry-After: the node sheds new sign-ins while it has a queue
                    }
                    continue;
                }
                String id = started.string("signInId");
                created.put(id, username);
                ProcessFlows.requestFor(device, id);
                String number = started.string("number");
                String state = switch ((mode + round) % 4) {
                    case 0 -> overChannel(device, id, Decision.APPROVE, number);
                    case 1 -> overHttp(api, device, id, Decision.APPROVE, number);
                    case 2 -> overChannel(device, id, Decision.DENY, null);
                    default -> overBoth(api, device, id, number);
                };
                seen.put(id, state);
                outcomes.add(state);
                if (state.equals("approved")) {
                    Api.Response result = api.get("/api/v1/sign-ins/" + id);
                    assertThat(result.string("sessionToken")).as(result.toString()).isNotNull();
                }
                decided.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | AssertionError e) {
                outcomes.add(killed.get() ? "cut by the kill" : "failed: " + e);
                if (killed.get()) {
                    return;
                }
            }
        }
    }

    /** A sign-in as a client makes it: refused with 503 while the node sheds new work, retried after Retry-After. */
    private static Api.Response signInRetryingWhileOverloaded(ProcessFlows flows, String username)
            throws InterruptedException {
        Api.Response answer = flows.signIn(username);
        for (int attempt = 0; attempt < 30 && answer.status() == 503; attempt++) {
            Thread.sleep(1000);
            answer = flows.signIn(username);
        }
        return answer;
    }

    private static String overChannel(TestDevice device, String id, Decision decision, String number) {
        device.send(device.answer(id, decision, number));
        return ProcessFlows.resultFor(device, id).state();
    }

    private static String overHttp(Api api, TestDevice device, String id, Decision decision, String number) {
        Api.Response response = api.post("/api/v1/sign-ins/" + id + "/response",
                device.answer(id, decision, number).toJson());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.string("state");
    }

    /** The same approval over the channel and over HTTP at once: one wins, the other is told it is decided. */
    private static String overBoth(Api api, TestDevice device, String id, String number) {
        device.send(device.answer(id, Decision.APPROVE, number));
        Api.Response response = api.post("/api/v1/sign-ins/" + id + "/response",
                device.answer(id, Decision.APPROVE, number).toJson());
        for (int i = 0; i < 50; i++) {
            ChannelMessage message = device.next();
            if (message instanceof ApprovalResult result && result.signInId().equals(id)) {
                if (response.status() == 200) {
                    assertThat(response.string("state")).isEqualTo(result.state());
                }
                return result.state();
            }
            if (message instanceof ChannelError error && id.equals(error.signInId())) {
                // the HTTP answer won; the channel's was refused as too late
                assertThat(response.status()).as(response.toString()).isEqualTo(200);
                return response.string("state");
            }
        }
        throw new AssertionError("no answer on the channel for " + id);
    }

    private int everyPendingRequestReachesTheReconnectedDevice(Connection db, Map<String, TestDevice> devices)
            throws Exception {
        int resent = 0;
        Map<String, TestDevice> reconnected = new HashMap<>();
        devices.forEach((user, device) -> reconnected.put(user, device.reconnected().connect()));
        for (Map.Entry<String, TestDevice> entry : reconnected.entrySet()) {
            Set<String> pending = new HashSet<>(rows(db, "SELECT s.id FROM sign_ins s JOIN users u ON u.id ="
                    + " s.user_id WHERE u.username = '" + entry.getKey() + "' AND s.state = 'pending' AND"
                    + " s.expires_at > now()"));
            Set<String> received = new HashSet<>();
            while (!received.containsAll(pending)) {
                ChannelMessage message = entry.getValue().next();
                if (message instanceof ApprovalRequest request) {
                    received.add(request.signInId());
                }
            }
            resent += pending.size();
            entry.getValue().close();
        }
        return resent;
    }

    private static Map<String, String> states(Connection db) throws SQLException {
        Map<String, String> states = new HashMap<>();
        try (ResultSet rows = db.createStatement().executeQuery("SELECT id, state FROM sign_ins WHERE kind ="
                + " 'sign-in' AND method IS DISTINCT FROM 'none'")) {
            while (rows.next()) {
                states.put(rows.getString(1), rows.getString(2));
            }
        }
        return states;
    }

    private static List<String> rows(Connection db, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = db.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

}
