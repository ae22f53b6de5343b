package org.countersign.authenticator.vault;

import java.util.Objects;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.OtpType;
import org.countersign.protocol.Totp;

/** A time-based one-time password account (RFC 6238), usually added from an {@code otpauth://totp/} URI. */
public final class TotpAccount implements Account {
    private final String id;
    private final String issuer;
    private final String accountName;
    private final OtpSecret secret;
    private final Totp totp;

    public TotpAccount(String id, String issuer, String accountName, OtpSecret secret, Totp totp) {
        this.id = requireText(id, "id");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.accountName = Objects.requireNonNull(accountName, "accountName");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.totp = Objects.requireNonNull(totp, "totp");
    }

    /** The account described by a parsed {@code otpauth://totp/} URI. */
    public static TotpAccount fromUri(String id, OtpAuthUri uri) {
        if (uri.type() != OtpType.TOTP) {
            throw new IllegalArgumentException("not a TOTP URI");
        }
        return new TotpAccount(id, uri.issuer(), uri.account(), uri.secret(),
                new Totp(uri.algorithm(), uri.digits(), uri.period()));
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value;
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
        return "totp";
    }

    public OtpSecret secret() {
        return secret;
    }

    @Override
    public void wipeSecrets() {
        secret.wipe();
    }

    public Totp totp() {
        return totp;
    }

    @Override
    public String toString() {
        return "TotpAccount[" + displayName() + ", id=" + id + ", " + totp + ", secret=redacted]";
    }
}
