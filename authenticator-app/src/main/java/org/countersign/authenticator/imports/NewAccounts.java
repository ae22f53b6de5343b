package org.countersign.authenticator.imports;

import java.security.SecureRandom;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;

/** Turns validated otpauth parameters into vault accounts with fresh ids. */
final class NewAccounts {
    private final SecureRandom random;

    NewAccounts(SecureRandom random) {
        this.random = random;
    }

    Account from(OtpAuthUri uri) {
        String id = Account.newId(random);
        return uri.type() == OtpType.TOTP ? TotpAccount.fromUri(id, uri) : HotpAccount.fromUri(id, uri);
    }

    /** "Issuer:account" for messages, or the account alone. */
    static String name(String issuer, String account) {
        return issuer == null || issuer.isEmpty() ? account : issuer + ":" + account;
    }
}
