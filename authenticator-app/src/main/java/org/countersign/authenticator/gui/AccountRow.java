package org.countersign.authenticator.gui;

import java.util.Objects;

/**
 * One line of the account list as it should look now.
 *
 * @param id               the vault account's id
 * @param kind             what sort of account
 * @param issuer           the organisation, "" when none
 * @param name             the account or user name
 * @param code             the current code, digits only; "" for an HOTP account whose next code was not asked for
 * @param secondsRemaining seconds until the code changes (0 for HOTP)
 * @param periodSeconds    the TOTP period (0 for HOTP)
 */
public record AccountRow(String id, Kind kind, String issuer, String name, String code, int secondsRemaining,
                         int periodSeconds) {

    /** The sorts of account, as the list shows them. */
    public enum Kind { TOTP, HOTP, PUSH }

    public AccountRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(code, "code");
    }

    /** The code as shown: "123 456". */
    public String groupedCode() {
        return CodeGrouping.group(code);
    }

    public boolean hasCode() {
        return !code.isEmpty();
    }

    /** How much of the period is left, 0..1, for a progress bar; 0 for HOTP. */
    public double fractionRemaining() {
        return periodSeconds == 0 ? 0 : (double) secondsRemaining / periodSeconds;
    }

    /** Issuer first, or the name alone when there is no issuer. */
    public String title() {
        return issuer.isEmpty() ? name : issuer;
    }

    /** Whether this row's data differs from another only in the code and countdown (same account). */
    public boolean sameAccount(AccountRow other) {
        return other != null && id.equals(other.id);
    }

    @Override
    public String toString() {
        // Codes end up in logs through toString; keep them out.
        return "AccountRow[" + id + ", " + kind + ", " + issuer + ":" + name + ", code=redacted]";
    }
}
