package org.countersign.push.admin;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.countersign.push.domain.MfaState;

/**
 * Reads a bulk-update file: UTF-8 (a byte-order mark is fine), RFC 4180 fields (quotes, commas and line breaks
 * inside quotes), the header {@code Username,MFA Status} (case and surrounding spaces ignored), then one row per user
 * with {@code Disabled}, {@code Enabled} or {@code Enforced} (any case). Blank lines are skipped. Problems of the
 * whole file throw {@link FileProblem}; problems of a row are kept on the row, so every row can be reported.
 */
public final class MfaCsv {
    public static final int MAX_BYTES = 1024 * 1024;
    public static final int MAX_ROWS = 5000;

    /** One data row as read, with its 1-based line in the file and what is wrong with it, if anything. */
    public record Row(int line, String username, String mfaStatus, Optional<MfaState> state, List<String> errors) {
        public Row {
            errors = List.copyOf(errors);
        }

        public boolean valid() {
            return errors.isEmpty();
        }

        Row withError(String error) {
            List<String> more = new ArrayList<>(errors);
            more.add(error);
            return new Row(line, username, mfaStatus, state, more);
        }
    }

    /** The file as a whole cannot be used; the message says why. */
    public static final class FileProblem extends Exception {
        private static final long serialVersionUID = 1L;

        FileProblem(String message) {
            super(message, null, false, false);
        }
    }

    private MfaCsv() {
    }

    public static List<Row> parse(byte[] bytes) throws FileProblem {
        if (bytes.length > MAX_BYTES) {
            throw new FileProblem("The file is larger than 1 MiB.");
        }
        String text = decode(bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Record> records = records(text);
        if (records.isEmpty()) {
            throw new FileProblem("The file is empty: it needs the header 'Username,MFA Status' and one row per user.");
        }
        Record header = records.get(0);
        if (header.fields().size() != 2 || !header.fields().get(0).trim().equalsIgnoreCase("Username")
                || !header.fields().get(1).trim().equalsIgnoreCase("MFA Status")) {
            throw new FileProblem("The first line must be the header 'Username,MFA Status' (line " + header.line()
                    + " is '" + String.join(",", header.fields()) + "').");
        }
        List<Record> data = records.subList(1, records.size());
        if (data.isEmpty()) {
            throw new FileProblem("The file has a header but no rows.");
        }
        if (data.size() > MAX_ROWS) {
            throw new FileProblem("The file has " + data.size() + " rows; at most " + MAX_ROWS
                    + " can be uploaded at once. Split it into several files.");
        }
        List<Row> rows = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (Record record : data) {
            rows.add(row(record, firstLine));
        }
        return rows;
    }

    private static Row row(Record record, Map<String, Integer> firstLine) {
        List<String> fields = record.fields();
        String username = fields.isEmpty() ? "" : fields.get(0).trim();
        String status = fields.size() < 2 ? "" : fields.get(1).trim();
        List<String> errors = new ArrayList<>();
        if (fields.size() != 2) {
            errors.add("Expected 2 columns (Username, MFA Status) but found " + fields.size() + ".");
        }
        if (username.isEmpty()) {
            errors.add("Username is empty.");
        }
        Optional<MfaState> state = MfaState.parse(status);
        if (state.isEmpty() && fields.size() >= 2) {
            errors.add("MFA Status must be Disabled, Enabled or Enforced, not '" + status + "'.");
        }
        if (!username.isEmpty()) {
            Integer earlier = firstLine.putIfAbsent(username.toLowerCase(Locale.ROOT), record.line());
            if (earlier != null) {
                errors.add("Duplicate of line " + earlier + ": each user may appear once.");
            }
        }
        return new Row(record.line(), username, status, state, errors);
    }

    private static String decode(byte[] bytes) throws FileProblem {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new FileProblem("The file is not UTF-8 text. Save it as 'CSV UTF-8' and upload it again.");
        }
    }

    private record Record(int line, List<String> fields) {
    }

    /** RFC 4180 records with the line each starts on; blank lines are dropped. */
    private static List<Record> records(String text) throws FileProblem {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
                field.setLength(0);
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(field.toString());
                addRecord(records, recordLine, fields);
                fields = new ArrayList<>();
                field.setLength(0);
                wasQuoted = false;
                line++;
                recordLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new FileProblem("A quoted field that starts on line " + recordLine + " is never closed.");
        }
        fields.add(field.toString());
        addRecord(records, recordLine, fields);
        return records;
    }

    private static void addRecord(List<Record> records, int line, List<String> fields) {
        boolean blank = fields.stream().allMatch(String::isBlank);
        if (!blank) {
            records.add(new Record(line, List.copyOf(fields)));
        }
    }
}
