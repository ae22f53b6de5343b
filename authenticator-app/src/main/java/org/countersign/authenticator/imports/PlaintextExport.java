package org.countersign.authenticator.imports;

import java.util.List;
import java.util.Objects;

/**
 * An export in a plaintext format: the pieces of text (URIs, one per line or one per QR code) and what could not be
 * carried over. The pieces hold secrets, so this is not a record and never prints them.
 */
public final class PlaintextExport {
    private final List<String> pieces;
    private final int accountCount;
    private final List<String> notCarriedOver;

    PlaintextExport(List<String> pieces, int accountCount, List<String> notCarriedOver) {
        this.pieces = List.copyOf(Objects.requireNonNull(pieces, "pieces"));
        this.accountCount = accountCount;
        this.notCarriedOver = List.copyOf(notCarriedOver);
    }

    /** The exported text pieces, in order; each holds secrets. */
    public List<String> pieces() {
        return pieces;
    }

    /** How many accounts the pieces hold. */
    public int accountCount() {
        return accountCount;
    }

    public List<String> notCarriedOver() {
        return notCarriedOver;
    }

    @Override
    public String toString() {
        return "PlaintextExport[" + accountCount + " accounts in " + pieces.size() + " pieces, redacted]";
    }
}
