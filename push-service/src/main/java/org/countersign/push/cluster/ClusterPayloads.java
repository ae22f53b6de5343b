package org.countersign.push.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Packs many {@link ClusterMessage}s into few NOTIFY payloads and reads them back. A payload is a header line
 * {@code cs1 <nodeId>} (so a node recognises its own notifications) followed by one line per message, and stays
 * under PostgreSQL's limit of 8,000 bytes.
 */
final class ClusterPayloads {
    /** PostgreSQL refuses payloads of 8,000 bytes or more; the margin keeps us clear of it. */
    static final int MAX_PAYLOAD_BYTES = 7_900;
    private static final String VERSION = "cs1";
    private static final Pattern NODE_ID = Pattern.compile("[0-9a-f]{16}");

    /** A received payload: who sent it and what it asks. */
    record Batch(String nodeId, List<ClusterMessage> messages) {
    }

    /** Payloads to send, and how many lines were too long for any payload and left out. */
    record Packed(List<String> payloads, int dropped) {
    }

    private ClusterPayloads() {
    }

    /**
     * Payloads carrying every encoded message line, in order, each within {@link #MAX_PAYLOAD_BYTES}. A line that
     * cannot fit in any payload is left out and counted.
     */
    static Packed pack(String nodeId, Collection<String> lines) {
        int dropped = 0;
        String header = VERSION + " " + nodeId;
        int headerBytes = header.length();
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder(header);
        int currentBytes = headerBytes;
        for (String line : lines) {
            int lineBytes = 1 + line.getBytes(StandardCharsets.UTF_8).length;
            if (headerBytes + lineBytes > MAX_PAYLOAD_BYTES) {
                dropped++;
                continue;
            }
            if (currentBytes + lineBytes > MAX_PAYLOAD_BYTES) {
                payloads.add(current.toString());
                current = new StringBuilder(header);
                currentBytes = headerBytes;
            }
            current.append('\n').append(line);
            currentBytes += lineBytes;
        }
        if (currentBytes > headerBytes) {
            payloads.add(current.toString());
        }
        return new Packed(payloads, dropped);
    }

    /**
     * Reads a payload written by {@link #pack}.
     *
     * @throws IllegalArgumentException when the header or any line is not ours
     */
    static Batch unpack(String payload) {
        String[] lines = payload.split("\n", -1);
        String[] header = lines[0].split(" ", -1);
        if (header.length != 2 || !VERSION.equals(header[0]) || !NODE_ID.matcher(header[1]).matches()) {
            throw new IllegalArgumentException("not a Countersign cluster payload");
        }
        List<ClusterMessage> messages = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            messages.add(ClusterMessage.parse(lines[i]));
        }
        return new Batch(header[1], messages);
    }

    static boolean isNodeId(String candidate) {
        return NODE_ID.matcher(candidate).matches();
    }
}
