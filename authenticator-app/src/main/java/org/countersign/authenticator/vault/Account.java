package org.countersign.authenticator.vault;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * One entry of the vault. Implementations are immutable, hold their secrets in redacting types and never print them.
 */
public sealed interface Account permits TotpAccount, HotpAccount, PushAccount {

    /** A stable random identifier, unchanged for the life of the entry. */
    String id();

    /** The organisation, or "" when the code had none. */
    String issuer();

    /** The account or user name at the issuer. */
    String accountName();

    /** "totp", "hotp" or "push". */
    String type();

    /** {@code issuer:account}, or just the account name when there is no issuer. */
    default String displayName() {
        return issuer().isEmpty() ? accountName() : issuer() + ":" + accountName();
    }

    /**
     * Zeroes the OTP seed this account holds; codes can no longer be made from it. A push account's Ed25519 key is
     * not zeroed: Bouncy Castle's key object offers no way to (VAULT-FORMAT.md, "Secrets in memory"). Safe to call
     * twice.
     */
    void wipeSecrets();

    /** The first 8 characters of the id, enough to tell two accounts with the same name apart. */
    default String shortId() {
        return id().length() <= 8 ? id() : id().substring(0, 8);
    }

    /** A new random id (128 bits, hex). */
    static String newId(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
