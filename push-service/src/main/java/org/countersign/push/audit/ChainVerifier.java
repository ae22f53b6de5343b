package org.countersign.push.audit;

import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Walks the sealed events in chain order and finds the first broken link: a gap in the positions (an event
 * deleted), a stored hash that is not the hash of the previous link and the event's fields (an event edited, moved or
 * forged), or a chain that does not end at the recorded head (events deleted from the end, or added past it). Used
 * by {@code verify-audit} and by {@code GET /api/v1/admin/activity/verify} alike.
 */
public final class ChainVerifier {
    private byte[] previous = AuditChain.GENESIS;
    private long expected = 1;
    private long sealed;
    private Optional<Broken> broken = Optional.empty();

    /** The first broken link: the event (if one is at fault), the chain position and what differs. */
    public record Broken(Optional<Long> eventId, long position, String problem) {
        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("position", position).put("problem", problem);
            eventId.ifPresent(id -> json.put("eventId", id));
            return json;
        }

        @Override
        public String toString() {
            return "chain position " + position + eventId.map(id -> " (event " + id + ")").orElse("") + ": " + problem;
        }
    }

    /** The outcome: intact or not, how many events are sealed and not yet sealed, and the first broken link. */
    public record Result(boolean intact, long sealed, long unsealed, Optional<Broken> firstBroken) {
        public JsonObject toJson() {
            JsonObject json = new JsonObject().put("intact", intact).put("sealed", sealed).put("unsealed", unsealed);
            firstBroken.ifPresent(b -> json.put("firstBroken", b.toJson()));
            return json;
        }
    }

    /** Feeds the next sealed event in chain-position order; returns false once a broken link was found. */
    public boolean accept(AuditChain.ChainEvent event) {
        if (broken.isPresent()) {
            return false;
        }
        long position = event.position().orElseThrow();
        if (position != expected) {
            broken = Optional.of(new Broken(Optional.of(event.id()), expected, position > expected
                    ? "the event at position " + expected + " is missing (deleted?); the next sealed event, "
                            + event.id() + ", is at position " + position
                    : "the event is at position " + position + ", out of sequence (forged or duplicated)"));
            return false;
        }
        byte[] computed = AuditChain.link(previous, position, event);
        byte[] stored = event.hash().orElse(new byte[0]);
        if (!MessageDigest.isEqual(computed, stored)) {
            broken = Optional.of(new Broken(Optional.of(event.id()), position, "stored hash "
                    + HexFormat.of().formatHex(stored) + " differs from the hash of the previous link and the "
                    + "event's fields, " + HexFormat.of().formatHex(computed)
                    + " (the event was edited, reordered or forged, or an earlier one was)"));
            return false;
        }
        previous = computed;
        expected++;
        sealed++;
        return true;
    }

    /** Checks the end of the chain against the recorded head, then answers. */
    public Result finish(long headPosition, byte[] headHash, long unsealed) {
        if (broken.isEmpty()) {
            long last = expected - 1;
            if (last < headPosition) {
                broken = Optional.of(new Broken(Optional.empty(), last + 1, "the chain ends at position " + last
                        + " but the head records " + headPosition + " sealed events (events deleted from the end)"));
            } else if (last > headPosition) {
                broken = Optional.of(new Broken(Optional.empty(), headPosition + 1, "events sealed past the head "
                        + "(position " + headPosition + "): forged"));
            } else if (!MessageDigest.isEqual(previous, headHash)) {
                broken = Optional.of(new Broken(Optional.empty(), last, "the last link's hash differs from the "
                        + "head's"));
            }
        }
        return new Result(broken.isEmpty(), sealed, unsealed, broken);
    }
}
