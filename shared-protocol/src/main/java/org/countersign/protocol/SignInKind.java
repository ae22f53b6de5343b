package org.countersign.protocol;

/** Why an approval request was sent: a real sign-in, or the test push that ends a registration. */
public enum SignInKind {
    SIGN_IN("sign-in"),
    REGISTRATION_TEST("registration-test");

    private final String wire;

    SignInKind(String wire) {
        this.wire = wire;
    }

    /** The JSON form: {@code sign-in} or {@code registration-test}. */
    public String wire() {
        return wire;
    }

    /**
     * The kind for its wire form (exact).
     *
     * @throws ProtocolException for field {@code kind} when null or unknown
     */
    public static SignInKind fromWire(String wire) {
        for (SignInKind kind : values()) {
            if (kind.wire.equals(wire)) {
                return kind;
            }
        }
        throw new ProtocolException("kind", "must be sign-in or registration-test");
    }
}
