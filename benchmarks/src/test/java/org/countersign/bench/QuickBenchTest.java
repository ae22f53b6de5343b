package org.countersign.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's quick mode, end to end against real processes (PostgreSQL, service nodes, channel holders):
 * every scenario prints a result line whose figures make sense. No timing is asserted: speed is what the full
 * benchmark reports, not what a test decides.
 */
class QuickBenchTest {
    @TempDir
    static Path out;
    static List<Result> results;
    static String printed;

    @BeforeAll
    static void runQuickMode() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream stream = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            results = new Bench(BenchOptions.parse("--quick", "--out", out.toString()), stream).call().results();
        }
        printed = buffer.toString(StandardCharsets.UTF_8);
    }

    private static List<Result> named(String scenario) {
        return results.stream().filter(r -> r.scenario().equals(scenario)).toList();
    }

    private static double number(Result result, String field) {
        assertThat(result.fields()).as(result.toString()).containsKey(field);
        return ((Number) result.fields().get(field)).doubleValue();
    }

    @Test
    void everyScenarioPrintsAJsonLineAndATableRow() throws Exception {
        for (String scenario : List.of("limits", "approval-round-trip", "push-delivery", "idle-channels",
                "cross-node", "password-sign-ins", "overload")) {
            assertThat(named(scenario)).as(scenario).isNotEmpty();
        }
        List<JsonObject> jsonLines = printed.lines().filter(line -> line.startsWith(Report.JSON_PREFIX))
                .map(line -> new JsonObject(line.substring(Report.JSON_PREFIX.length()))).toList();
        assertThat(jsonLines).hasSameSizeAs(results);
        assertThat(printed.lines().filter(line -> line.startsWith("| ")).count()).isEqualTo(results.size());
        assertThat(Files.readAllLines(out.resolve("results.json"))).hasSameSizeAs(results);
        assertThat(Files.readString(out.resolve("results.md"))).contains(Report.TABLE_HEADER)
                .contains(results.get(0).toMarkdownRow());
    }

    @Test
    void skippedScenariosSayWhy() {
        for (Result result : results) {
            assertThat(result.status()).as(result.toString()).isIn("ok", "skipped");
            if (result.status().equals("skipped")) {
                assertThat((String) result.fields().get("reason")).as(result.toString()).isNotBlank();
            }
        }
    }

    @Test
    void limitsArePositiveRates() {
        Result limits = named("limits").get(0);
        assertThat(limits.status()).isEqualTo("ok");
        for (String field : List.of("pgInsertCommitsPerSecond1Client", "pgInsertCommitsPerSecond16Clients",
                "pgInsertUpdatePairsPerSecond16Clients", "ed25519VerifiesPerSecondOneCore")) {
            assertThat(number(limits, field)).as(field).isPositive();
        }
    }

    @Test
    void approvalsThatRanWereApprovedWithOrderedPercentiles() {
        for (String scenario : List.of("approval-round-trip", "push-delivery", "cross-node")) {
            for (Result result : named(scenario)) {
                if (result.status().equals("ok")) {
                    assertThat(number(result, "approved")).as(result.toString()).isPositive();
                    assertThat(number(result, "notApproved") + number(result, "errors")).as(result.toString())
                            .isZero();
                    assertThat(number(result, "roundTripP99Ms")).as(result.toString())
                            .isGreaterThanOrEqualTo(number(result, "roundTripP50Ms")).isPositive();
                }
            }
        }
    }

    @Test
    void idleChannelsReportMemoryAtEachStep() {
        List<Result> steps = named("idle-channels");
        assertThat(steps).extracting(r -> ((Number) r.fields().get("channels")).intValue())
                .containsExactly(50, 150);
        for (Result step : steps) {
            assertThat(step.status()).isEqualTo("ok");
            assertThat(number(step, "rssMiB")).isPositive();
            assertThat(number(step, "heapMiB")).isGreaterThanOrEqualTo(number(step, "baselineHeapMiB"));
        }
        assertThat((String) steps.get(1).fields().get("topClassesBytesPerChannel")).isNotBlank();
    }

    @Test
    void passwordSignInsAreApprovedAndComparedWithArgon2() {
        Result result = named("password-sign-ins").get(0);
        assertThat(result.status()).isEqualTo("ok");
        assertThat(number(result, "approvedSignInsPerSecond")).isPositive();
        assertThat(number(result, "argon2idVerifiesPerSecond")).isPositive();
        Map<String, Object> failures = result.fields().entrySet().stream()
                .filter(e -> e.getKey().startsWith("outcome_") && !e.getKey().equals("outcome_200-approved"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(failures).isEmpty();
    }
}
