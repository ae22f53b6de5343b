package org.countersign.push.cluster;

import java.util.Objects;
import java.util.UUID;

/**
 * One thing a node asks the other nodes to do, as one line of a notification payload. Ids only where the receiver
 * can read the rest from the database (so payloads stay small and a stale request is never re-sent); a whole frame
 * only for the small frames that are not in the database, such as {@code approval.result}.
 */
sealed interface ClusterMessage {
    /** The line this message travels as: a one-letter kind, a space, then its fields separated by spaces. */
    String encode();

    /** "Deliver sign-in X to device D": a node holding D's channel reads the sign-in and sends approval.request. */
    record Deliver(UUID signInId, UUID deviceId) implements ClusterMessage {
        public Deliver {
            Objects.requireNonNull(signInId);
            Objects.requireNonNull(deviceId);
        }

        @Override
        public String encode() {
            return "R " + signInId + " " + deviceId;
        }
    }

    /** "Sign-in X was decided": every node wakes its waiters of X, which re-read the row. */
    record Decided(UUID signInId) implements ClusterMessage {
        public Decided {
            Objects.requireNonNull(signInId);
        }

        @Override
        public String encode() {
            return "D " + signInId;
        }
    }

    /** "Device D was removed": a node holding D's channel closes it with the removal close code. */
    record DeviceRemoved(UUID deviceId) implements ClusterMessage {
        public DeviceRemoved {
            Objects.requireNonNull(deviceId);
        }

        @Override
        public String encode() {
            return "X " + deviceId;
        }
    }

    /** "Send this frame to device D": a node holding D's channel writes the frame as it is. */
    record Frame(UUID deviceId, String json) implements ClusterMessage {
        public Frame {
            Objects.requireNonNull(deviceId);
            if (json.isEmpty() || json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("a frame travels as one line of JSON");
            }
        }

        @Override
        public String encode() {
            return "F " + deviceId + " " + json;
        }
    }

    /**
     * Reads one line written by {@link #encode()}.
     *
     * @throws IllegalArgumentException for anything else
     */
    static ClusterMessage parse(String line) {
        if (line.length() < 3 || line.charAt(1) != ' ') {
            throw new IllegalArgumentException("not a cluster message");
        }
        String rest = line.substring(2);
        return switch (line.charAt(0)) {
            case 'R' -> {
                String[] ids = rest.split(" ", -1);
                if (ids.length != 2) {
                    throw new IllegalArgumentException("R needs a sign-in id and a device id");
                }
                yield new Deliver(UUID.fromString(ids[0]), UUID.fromString(ids[1]));
            }
            case 'D' -> new Decided(UUID.fromString(rest));
            case 'X' -> new DeviceRemoved(UUID.fromString(rest));
            case 'F' -> {
                int space = rest.indexOf(' ');
                if (space < 0) {
                    throw new IllegalArgumentException("F needs a device id and a frame");
                }
                yield new Frame(UUID.fromString(rest.substring(0, space)), rest.substring(space + 1));
            }
            default -> throw new IllegalArgumentException("unknown cluster message kind");
        };
    }
}
