package org.countersign.authenticator.scan;

import java.util.List;
import java.util.Optional;
import org.countersign.protocol.OtpAuthUri;

/**
 * What {@link OtpAuthDoctor} found in a URI: the findings, and the account as it would be stored when it is usable.
 * The account holds the secret, so this is not a record.
 */
public final class Diagnosis {
    private final List<Finding> findings;
    private final OtpAuthUri normalised;

    Diagnosis(List<Finding> findings, OtpAuthUri normalised) {
        this.findings = List.copyOf(findings);
        this.normalised = normalised;
    }

    public List<Finding> findings() {
        return findings;
    }

    /** Whether the URI can be added: no finding is an error. */
    public boolean usable() {
        return normalised != null && findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
    }

    /** The account as it would be stored, when usable; {@link OtpAuthUri#format()} is its canonical URI. */
    public Optional<OtpAuthUri> normalised() {
        return usable() ? Optional.of(normalised) : Optional.empty();
    }

    /** The canonical URI with the secret replaced by {@code ***}, safe to print, when usable. */
    public Optional<String> normalisedRedacted() {
        return normalised().map(uri -> uri.format().replaceFirst("secret=[^&]*", "secret=***"));
    }

    @Override
    public String toString() {
        return "Diagnosis[" + findings + ", usable=" + usable() + "]";
    }
}
