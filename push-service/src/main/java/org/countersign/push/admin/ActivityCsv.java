package org.countersign.push.admin;

import java.util.List;
import org.countersign.push.store.ActivityStore.StoredEvent;

/**
 * The activity export: a header row, then one row per event, RFC 4180 quoting, CRLF line ends. A cell that a
 * spreadsheet would run as a formula (starting with {@code = + - @}, a tab or a carriage return) gets a leading
 * apostrophe, as OWASP advises against CSV injection.
 */
public final class ActivityCsv {
    public static final String HEADER = "id,occurredAt,type,actor,target,outcome,detail";

    private ActivityCsv() {
    }

    public static String format(List<StoredEvent> events) {
        return HEADER + "\r\n" + rows(events);
    }

    /** The rows of {@code events}, without the header: one page of an export. */
    public static String rows(List<StoredEvent> events) {
        StringBuilder out = new StringBuilder();
        for (StoredEvent event : events) {
            out.append(event.id()).append(',')
                    .append(cell(event.occurredAt().toString())).append(',')
                    .append(cell(event.type())).append(',')
                    .append(cell(event.actor())).append(',')
                    .append(cell(event.target().orElse(""))).append(',')
                    .append(cell(event.outcome())).append(',')
                    .append(cell(event.detail().encode())).append("\r\n");
        }
        return out.toString();
    }

    /** One cell: neutralised against formulas, then quoted when it holds a comma, a quote or a line break. */
    public static String cell(String value) {
        String safe = value;
        if (!safe.isEmpty() && "=+-@\t\r".indexOf(safe.charAt(0)) >= 0) {
            safe = "'" + safe;
        }
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
