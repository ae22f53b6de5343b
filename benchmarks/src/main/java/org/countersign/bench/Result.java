package org.countersign.bench;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one scenario (or one step of it) measured: an ordered set of named figures, printed as one JSON line and
 * one Markdown table row so that a run can be read by people and by scripts alike.
 *
 * @param scenario short machine name, e.g. {@code approval-round-trip}
 * @param status   {@code ok}, or {@code skipped} with a {@code reason} field when the system under test lacks what
 *                 the scenario needs (a branch not merged yet)
 * @param fields   the figures, in print order
 */
public record Result(String scenario, String status, Map<String, Object> fields) {

    public static Builder of(String scenario) {
        return new Builder(scenario);
    }

    public static Result skipped(String scenario, String reason) {
        return new Builder(scenario).put("reason", reason).build("skipped");
    }

    public JsonObject toJson() {
        JsonObject json = new JsonObject().put("scenario", scenario).put("status", status);
        fields.forEach(json::put);
        return json;
    }

    /** {@code | scenario | status | key=value, ... |}. */
    public String toMarkdownRow() {
        String figures = fields.entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue()))
                .collect(Collectors.joining(", "));
        return "| " + scenario + " | " + status + " | " + figures.replace("|", "/") + " |";
    }

    private static String format(Object value) {
        if (value instanceof Double d) {
            return d >= 100 ? String.format("%.0f", d) : String.format("%.3g", d);
        }
        return String.valueOf(value);
    }

    /** Collects fields in order. */
    public static final class Builder {
        private final String scenario;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String scenario) {
            this.scenario = scenario;
        }

        public Builder put(String key, Object value) {
            fields.put(key, value instanceof Float f ? (double) f : value);
            return this;
        }

        /** Milliseconds rounded to microseconds. */
        public Builder millis(String key, double value) {
            return put(key, Math.round(value * 1000) / 1000.0);
        }

        public Builder putAll(Map<String, Object> more) {
            more.forEach(this::put);
            return this;
        }

        public Result build() {
            return build("ok");
        }

        Result build(String status) {
            return new Result(scenario, status, Collections.unmodifiableMap(new LinkedHashMap<>(fields)));
        }
    }
}
