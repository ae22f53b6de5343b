package org.countersign.authenticator.imports;

import java.util.ArrayList;
import java.util.List;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.OtpAuthUri;
import org.countersign.protocol.OtpType;

/**
 * Writes TOTP and HOTP accounts as canonical {@code otpauth://} URIs, one per line (what {@link UriListImporter}
 * reads back). Push accounts are never written in plaintext: their device key must not leave the vault unencrypted.
 */
public final class UriListExporter {

    public PlaintextExport export(List<Account> accounts) {
        List<String> lines = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Account account : accounts) {
            if (account instanceof PushAccount) {
                notes.add(pushNote(account));
            } else {
                lines.add(uriOf(account).format());
            }
        }
        return new PlaintextExport(lines, lines.size(), notes);
    }

    /** The otpauth URI of a TOTP or HOTP account. */
    static OtpAuthUri uriOf(Account account) {
        if (account instanceof TotpAccount totp) {
            return OtpAuthUri.totp(totp.issuer(), totp.accountName(), totp.secret(), totp.totp());
        }
        HotpAccount hotp = (HotpAccount) account;
        return new OtpAuthUri(OtpType.HOTP, hotp.issuer(), hotp.accountName(), hotp.secret(), hotp.algorithm(),
                hotp.digits(), 30, hotp.counter());
    }

    static String pushNote(Account account) {
        return account.displayName() + ": push accounts are never exported in plaintext (enroll the new device with"
                + " the service, or use the encrypted export).";
    }
}
