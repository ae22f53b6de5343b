package org.countersign.authenticator.vault;

import java.util.Objects;
import org.countersign.protocol.HmacAlgorithm;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.OtpType;

/**
 * A counter-based one-time password account (RFC 4226). {@link #counter()} is the counter of the next code to show;
 * the vault advances and saves it before a code is shown, so a code is never shown twice.
 */
public final class HotpAccount implements Account {
    private final String id;
    private final String issuer;
    private final String accountName;
    private final OtpSecret secret;
    private final HmacAlgorithm algorithm;
    private final int digits;
    private final long counter;

    public HotpAccount(String id, String issuer, String accountName, OtpSecret secret, HmacAlgorithm algorithm,
                       int digits, long counter) {
        this.id = TotpAccount.requireText(id, "id");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.accountName = Objects.requireNonNull(accountName, "accountName");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (digits < 6 || digits > 8) {
            throw new IllegalArgumentException("digits must be 6..8, was " + digits);
        }
        if (counter < 0) {
            throw new IllegalArgumentException("counter must not be negative");
        }
        this.digits = digits;
        this.counter = counter;
    }

    /** The account described by a parsed {@code otpauth://hotp/} URI. */
    public static HotpAccount fromUri(String id, OtpAuthUri uri) {
        if (uri.type() != OtpType.HOTP) {
            throw new IllegalArgumentException("not an HOTP URI");
        }
        return new HotpAccount(id, uri.issuer(), uri.account(), uri.secret(), uri.algorithm(), uri.digits(),
                uri.counter());
    }

    /** The same account with another counter. */
    public HotpAccount withCounter(long newCounter) {
        return new HotpAccount(id, issuer, accountName, secret, algorithm, digits, newCounter);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String issuer() {
        return issuer;
    }

    @Override
    public String accountName() {
        return accountName;
    }

    @Override
    public String type() {
        return "hotp";
    }

    public OtpSecret secret() {
        return secret;
    }

    @Override
    public void wipeSecrets() {
        secret.wipe();
    }

    public HmacAlgorithm algorithm() {
        return algorithm;
    }

    public int digits() {
        return digits;
    }

    public long counter() {
        return counter;
    }

    @Override
    public String toString() {
        return "HotpAccount[" + displayName() + ", id=" + id + ", " + algorithm + ", digits=" + digits
                + ", counter=" + counter + ", secret=redacted]";
    }
}
