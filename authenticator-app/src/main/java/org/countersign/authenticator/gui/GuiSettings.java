package org.countersign.authenticator.gui;

import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.countersign.authenticator.push.PushHttp;
import org.countersign.authenticator.vault.KdfParameters;

/**
 * What the GUI takes from outside, so that tests control it.
 *
 * @param idleLock         lock after this long without activity; zero means never
 * @param clipboardClear   how long a copied code stays on the clipboard
 * @param httpClients      makes an HTTP client for a service, given its TLS pin
 * @param kdfForNewVaults  Argon2id cost of a vault created from the unlock dialog
 * @param deviceName       how this device is listed in Security info after an enrollment
 * @param platform         sent with an enrollment, for example {@code linux-gui}
 */
public record GuiSettings(Clock clock, SecureRandom random, KdfParameters kdfForNewVaults,
                          Function<Optional<String>, HttpClient> httpClients, Duration idleLock,
                          Duration clipboardClear, String deviceName, String platform) {

    public GuiSettings {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(kdfForNewVaults, "kdfForNewVaults");
        Objects.requireNonNull(httpClients, "httpClients");
        Objects.requireNonNull(idleLock, "idleLock");
        Objects.requireNonNull(clipboardClear, "clipboardClear");
        Objects.requireNonNull(deviceName, "deviceName");
        Objects.requireNonNull(platform, "platform");
        if (idleLock.isNegative()) {
            throw new IllegalArgumentException("idleLock must not be negative");
        }
    }

    /** The real system: system clock, default Argon2id cost, 5 minutes of idle, 30 s on the clipboard. */
    public static GuiSettings defaults(String deviceName, String platform) {
        return new GuiSettings(Clock.systemDefaultZone(), new SecureRandom(), KdfParameters.DEFAULTS,
                PushHttp::newClient, IdleLock.DEFAULT_TIMEOUT, ClipboardGuard.DEFAULT_CLEAR_AFTER, deviceName,
                platform);
    }

    public GuiSettings withIdleLock(Duration timeout) {
        return new GuiSettings(clock, random, kdfForNewVaults, httpClients, timeout, clipboardClear, deviceName,
                platform);
    }
}
