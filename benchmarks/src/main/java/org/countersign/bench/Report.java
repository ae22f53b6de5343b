package org.countersign.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints each result as it arrives (one JSON line, one Markdown row) and writes them all to
 * {@code results.json} (JSON lines) and {@code results.md} (a table) in the output directory.
 */
final class Report {
    static final String JSON_PREFIX = "RESULT ";
    static final String TABLE_HEADER = "| scenario | status | figures |\n|---|---|---|";

    private final PrintStream out;
    private final Path outDir;
    private final List<Result> results = new ArrayList<>();

    Report(PrintStream out, Path outDir) {
        this.out = out;
        this.outDir = outDir;
    }

    void add(Result result) {
        results.add(result);
        out.println(JSON_PREFIX + result.toJson().encode());
        out.println(result.toMarkdownRow());
        out.flush();
    }

    void addAll(List<Result> more) {
        more.forEach(this::add);
    }

    List<Result> results() {
        return List.copyOf(results);
    }

    void write(String header) throws IOException {
        Files.createDirectories(outDir);
        StringBuilder json = new StringBuilder();
        StringBuilder table = new StringBuilder(header).append("\n\n").append(TABLE_HEADER).append('\n');
        for (Result result : results) {
            json.append(result.toJson().encode()).append('\n');
            table.append(result.toMarkdownRow()).append('\n');
        }
        Files.writeString(outDir.resolve("results.json"), json);
        Files.writeString(outDir.resolve("results.md"), table);
    }
}
