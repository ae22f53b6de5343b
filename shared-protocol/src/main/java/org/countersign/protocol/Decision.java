package org.countersign.protocol;

/** What the person answered on the device. */
public enum Decision {
    APPROVE("approve"),
    DENY("deny"),
    /** "This was not me": denies the sign-in and reports it. */
    FRAUD("fraud");

    private final String wire;

    Decision(String wire) {
        this.wire = wire;
    }

    /** The JSON and signed-string form: {@code approve}, {@code deny} or {@code fraud}. */
    public String wire() {
        return wire;
    }

    /**
     * The decision for its wire form (exact, lower case).
     *
     * @throws ProtocolException for field {@code decision} when null or unknown
     */
    public static Decision fromWire(String wire) {
        for (Decision decision : values()) {
            if (decision.wire.equals(wire)) {
                return decision;
            }
        }
        throw new ProtocolException("decision", "must be approve, deny or fraud");
    }
}
