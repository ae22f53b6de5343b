package org.countersign.authenticator.push;

import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import org.countersign.authenticator.vault.Account;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.protocol.ActivationRequest;
import org.countersign.protocol.ActivationResponse;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.protocol.ProtocolException;

/**
 * Activates an enrollment (§2.1 step 3 of the architecture): generates a fresh Ed25519 device key, sends its public
 * half with the one-time code, and returns the push account to store. The activation code is single use, so callers
 * should check that they can save the account (vault open, passphrase right) before calling.
 */
public final class EnrollmentClient {
    private static final int MAX_DEVICE_NAME = 64;
    private static final int MAX_PLATFORM = 32;

    private final HttpClient http;
    private final SecureRandom random;
    private final Clock clock;
    private final String deviceName;
    private final String platform;

    /**
     * @param http       a client built by {@link PushHttp#newClient} with the enrollment URI's pin
     * @param deviceName how the device is listed in Security info (cut to 64 characters)
     * @param platform   for example {@code linux-cli} (cut to 32 characters)
     */
    public EnrollmentClient(HttpClient http, SecureRandom random, Clock clock, String deviceName, String platform) {
        this.http = Objects.requireNonNull(http, "http");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deviceName = cut(requireText(deviceName, "deviceName"), MAX_DEVICE_NAME);
        this.platform = cut(requireText(platform, "platform"), MAX_PLATFORM);
    }

    /**
     * POSTs the activation to the URI's activation URL and returns the new push account, holding the new private
     * key and the TOTP secret the service sent.
     *
     * @throws PushException with the service's message when it refuses (expired or used code, …), or when it cannot
     *                       be reached or answers something that is not a valid activation response
     */
    public PushAccount activate(EnrollmentUri enrollment) {
        DeviceSigner signer = DeviceSigner.generate(random);
        ActivationRequest request = new ActivationRequest(enrollment.code(), signer.publicKey().base64Url(),
                ActivationRequest.ED25519, deviceName, platform);
        URI activationUrl = enrollment.activationUrl();
        JsonObject answer = PushHttp.postJson(http, activationUrl, request.toJson(), "the activation");
        ActivationResponse response;
        try {
            response = ActivationResponse.fromJson(answer);
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new PushException("The service's activation answer is not valid: " + e.getMessage());
        }
        URI serviceUrl = PushHttp.origin(activationUrl);
        return new PushAccount(Account.newId(random), response.issuer(), response.username(), response.deviceId(),
                serviceUrl, channelUrl(response.channelUrl(), serviceUrl), signer, response.totpSecret(),
                response.totp(), enrollment.pin(), clock.instant());
    }

    /**
     * The channel URL as a WebSocket URL: a relative URL is resolved against the service, {@code http(s)} becomes
     * {@code ws(s)}, and plain {@code ws} is only accepted from a service reached over plain http (a loopback host).
     */
    static URI channelUrl(String channelUrl, URI serviceUrl) {
        URI resolved;
        try {
            resolved = serviceUrl.resolve(channelUrl);
        } catch (IllegalArgumentException e) {
            throw new PushException("The service sent an invalid channel URL: " + channelUrl);
        }
        String scheme = resolved.getScheme() == null ? "" : resolved.getScheme().toLowerCase(Locale.ROOT);
        String webSocketScheme = switch (scheme) {
            case "https", "wss" -> "wss";
            case "http", "ws" -> "ws";
            default -> throw new PushException("The service sent a channel URL that is not a WebSocket URL: "
                    + channelUrl);
        };
        if (webSocketScheme.equals("ws") && !"http".equalsIgnoreCase(serviceUrl.getScheme())) {
            throw new PushException("The service sent an unencrypted channel URL (" + channelUrl
                    + "); only wss:// is accepted from an https service.");
        }
        return URI.create(webSocketScheme + resolved.toString().substring(scheme.length()));
    }

    /** The host name, or "Countersign CLI" when it cannot be found. */
    public static String defaultDeviceName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            if (host != null && !host.isBlank()) {
                return host;
            }
        } catch (UnknownHostException e) {
            // fall through
        }
        return "Countersign CLI";
    }

    /** {@code linux-cli}, {@code macos-cli}, {@code windows-cli} or {@code other-cli}. */
    public static String defaultPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("linux")) {
            return "linux-cli";
        }
        if (os.contains("mac")) {
            return "macos-cli";
        }
        if (os.contains("windows")) {
            return "windows-cli";
        }
        return "other-cli";
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value.strip();
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
