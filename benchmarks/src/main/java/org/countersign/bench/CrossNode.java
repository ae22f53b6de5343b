package org.countersign.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Scenario 4: two nodes on one PostgreSQL. Every device holds its channel on node A; the relying party creates its
 * checks on node B, so each request crosses nodes (NOTIFY/LISTEN, ARCHITECTURE.md §6) before it reaches the device.
 * A probe check first tells whether this build delivers across nodes at all.
 */
final class CrossNode {
    private static final long PROBE_MILLIS = 5_000;

    private CrossNode() {
    }

    /**
     * Runs the scenario at {@code rate} checks per second, after a warm-up of node B (started cold for this
     * scenario; see {@link BenchOptions#warmup}) at the same rate that is not measured.
     */
    static Result run(Environment env, double rate) throws IOException {
        if (env.rp.isEmpty()) {
            return Result.skipped("cross-node", ApprovalScenarios.unavailableReason());
        }
        ServiceNode nodeB = env.nodeB();
        env.fleet();
        env.screen.clear();
        try (HttpApi http = new HttpApi(env.vertx, nodeB.port())) {
            RpClient rp = new RpClient(http, env.rp.get().clientId(), env.rp.get().clientSecret());
            if (!probe(env, rp)) {
                return Result.skipped("cross-node", "a check created on node B never reached the device on node A "
                        + "within " + PROBE_MILLIS + " ms: this build does not deliver across nodes (merge the "
                        + "cluster branch)");
            }
            Waits.await(OpenLoad.run(env.vertx, rate, env.options.crossNodeWarmup(),
                    new ApprovalLoad(rp, env.screen, env.freeApprovalUsers)::once), 120);
            env.screen.clear();
            ApprovalLoad load = new ApprovalLoad(rp, env.screen, env.freeApprovalUsers);
            OpenLoad.Stats stats = Waits.await(OpenLoad.run(env.vertx, rate, env.options.crossNodeDuration(),
                    load::once), 120);
            Result.Builder result = Result.of("cross-node").put("offeredPerSecond", rate)
                    .put("started", stats.started());
            load.push.addTo(result, "push");
            load.roundTrip.addTo(result, "roundTrip");
            return load.addCounts(result).build();
        }
    }

    /** One check on B for a device on A: true when the request frame arrives. */
    private static boolean probe(Environment env, RpClient rp) {
        String user = env.freeApprovalUsers.poll();
        if (user == null) {
            return false;
        }
        try {
            HttpApi.Reply created = Waits.await(rp.createPush(user), 30);
            if (created.status() != 201) {
                throw new IllegalStateException("probe check on node B answered " + created.status() + " "
                        + created.json());
            }
            String checkId = created.string("checkId");
            Screen.Check check = env.screen.shown(checkId, created.string("number"));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
            while (System.nanoTime() < deadline && check.requestArrivedNanos() == 0) {
                ServiceNode.sleep(20);
            }
            boolean delivered = check.requestArrivedNanos() != 0;
            if (delivered) {
                Waits.await(rp.result(checkId, 10), 30);
            }
            env.screen.done(checkId);
            return delivered;
        } finally {
            env.freeApprovalUsers.add(user);
        }
    }
}
