package org.countersign.push.admin;

import java.util.Optional;
import java.util.OptionalInt;

/** The settings an admin asks to change; absent fields stay as they are. Ranges are checked by {@code Settings}. */
public record SettingsChange(Optional<Boolean> securityDefaults, Optional<Boolean> appPasswordsAllowed,
                             OptionalInt rememberMfaDays, OptionalInt numberDigits, OptionalInt pushLimitPer10Minutes,
                             Optional<Boolean> nistProfile) {
    /** A change that leaves the push limit and the NIST profile as they are. */
    public SettingsChange(Optional<Boolean> securityDefaults, Optional<Boolean> appPasswordsAllowed,
                          OptionalInt rememberMfaDays, OptionalInt numberDigits) {
        this(securityDefaults, appPasswordsAllowed, rememberMfaDays, numberDigits, OptionalInt.empty(),
                Optional.empty());
    }
}
