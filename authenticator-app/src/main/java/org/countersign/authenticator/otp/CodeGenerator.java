package org.countersign.authenticator.otp;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import org.countersign.authenticator.vault.HotpAccount;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.TotpAccount;
import org.countersign.protocol.Hotp;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;

/** Computes the codes to show for vault accounts at the time of an injected clock. */
public final class CodeGenerator {
    private final Clock clock;

    public CodeGenerator(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The current TOTP code for a secret and its parameters. */
    public TotpCode totp(OtpSecret secret, Totp totp) {
        Instant now = clock.instant();
        long period = totp.periodSeconds();
        long elapsedInPeriod = Math.floorMod(now.getEpochSecond(), period);
        return new TotpCode(totp.codeAt(secret, now), (int) (period - elapsedInPeriod), totp.periodSeconds());
    }

    public TotpCode current(TotpAccount account) {
        return totp(account.secret(), account.totp());
    }

    /** The fallback code of a push account, from the TOTP secret the service gave at activation. */
    public TotpCode current(PushAccount account) {
        return totp(account.totpSecret(), account.totp());
    }

    /**
     * The HOTP code for the account's current counter. Advance and save the counter first
     * ({@link org.countersign.authenticator.vault.Vault#advanceHotp}) and pass the account as it was before.
     */
    public String hotp(HotpAccount account) {
        return Hotp.code(account.secret(), account.counter(), account.digits(), account.algorithm());
    }
}
