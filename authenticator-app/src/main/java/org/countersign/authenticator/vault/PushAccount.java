package org.countersign.authenticator.vault;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.countersign.protocol.DeviceSigner;
import org.countersign.protocol.OtpSecret;
import org.countersign.protocol.Totp;

/**
 * A device registered with a Countersign push service: the device id and key that answer approval requests, where to
 * reach the service, and the TOTP secret for the code fallback. The private key never leaves the vault.
 */
public final class PushAccount implements Account {
    private final String id;
    private final String issuer;
    private final String username;
    private final String deviceId;
    private final URI serviceUrl;
    private final URI channelUrl;
    private final DeviceSigner signer;
    private final OtpSecret totpSecret;
    private final Totp totp;
    private final Optional<String> tlsPin;
    private final Instant activatedAt;

    /**
     * @param serviceUrl  the service base URL, {@code scheme://host[:port]}, for the HTTP API
     * @param channelUrl  the WebSocket URL of this device's push channel
     * @param tlsPin      the {@code sha256/<base64>} pin of the service's TLS key, when the enrollment code had one
     */
    public PushAccount(String id, String issuer, String username, String deviceId, URI serviceUrl, URI channelUrl,
                       DeviceSigner signer, OtpSecret totpSecret, Totp totp, Optional<String> tlsPin,
                       Instant activatedAt) {
        this.id = TotpAccount.requireText(id, "id");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.username = TotpAccount.requireText(username, "username");
        this.deviceId = TotpAccount.requireText(deviceId, "deviceId");
        this.serviceUrl = Objects.requireNonNull(serviceUrl, "serviceUrl");
        this.channelUrl = Objects.requireNonNull(channelUrl, "channelUrl");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.totpSecret = Objects.requireNonNull(totpSecret, "totpSecret");
        this.totp = Objects.requireNonNull(totp, "totp");
        this.tlsPin = Objects.requireNonNull(tlsPin, "tlsPin");
        this.activatedAt = Objects.requireNonNull(activatedAt, "activatedAt");
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String issuer() {
        return issuer;
    }

    /** The same as {@link #username()}. */
    @Override
    public String accountName() {
        return username;
    }

    @Override
    public String type() {
        return "push";
    }

    public String username() {
        return username;
    }

    public String deviceId() {
        return deviceId;
    }

    public URI serviceUrl() {
        return serviceUrl;
    }

    public URI channelUrl() {
        return channelUrl;
    }

    /** The device's Ed25519 key; signs channel logins and approval responses. */
    public DeviceSigner signer() {
        return signer;
    }

    public OtpSecret totpSecret() {
        return totpSecret;
    }

    @Override
    public void wipeSecrets() {
        totpSecret.wipe();
    }

    public Totp totp() {
        return totp;
    }

    public Optional<String> tlsPin() {
        return tlsPin;
    }

    public Instant activatedAt() {
        return activatedAt;
    }

    @Override
    public String toString() {
        return "PushAccount[" + displayName() + ", id=" + id + ", deviceId=" + deviceId + ", service=" + serviceUrl
                + ", key=redacted, totpSecret=redacted]";
    }
}
