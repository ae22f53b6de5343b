package org.countersign.protocol;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * The service's answer to an activation: the new device id, where its push channel is, and the TOTP secret for the
 * fallback code. A final class, not a record, because it holds the secret: {@link #toString()} redacts it.
 *
 * <p>JSON: {@code {deviceId,issuer,username,channelUrl,totp:{secret,algorithm,digits,period}}} with the secret in
 * Base32. The channel URL is absolute {@code wss} (or {@code https}); plain {@code ws}/{@code http} only for a
 * loopback host.
 */
public final class ActivationResponse {

    private final String deviceId;
    private final String issuer;
    private final String username;
    private final String channelUrl;
    private final OtpSecret totpSecret;
    private final Totp totp;

    /** @throws ProtocolException naming the invalid field */
    public ActivationResponse(String deviceId, String issuer, String username, String channelUrl,
                              OtpSecret totpSecret, Totp totp) {
        this.deviceId = Fields.text("deviceId", deviceId, Fields.MAX_ID_LENGTH);
        this.issuer = Fields.text("issuer", issuer, Fields.MAX_NAME_LENGTH);
        this.username = Fields.text("username", username, Fields.MAX_NAME_LENGTH);
        this.channelUrl = checkChannelUrl(channelUrl);
        if (totpSecret == null) {
            throw new ProtocolException("secret", "is missing");
        }
        if (totp == null) {
            throw new ProtocolException("totp", "is missing");
        }
        this.totpSecret = totpSecret;
        this.totp = totp;
    }

    /** Same as the constructor. */
    public static ActivationResponse of(String deviceId, String issuer, String username, String channelUrl,
                                        OtpSecret totpSecret, Totp totp) {
        return new ActivationResponse(deviceId, issuer, username, channelUrl, totpSecret, totp);
    }

    /** @throws ProtocolException for a missing, wrong-typed or invalid field (nested ones by their own name) */
    public static ActivationResponse fromJson(JsonObject json) {
        if (json == null) {
            throw new ProtocolException("body", "is missing");
        }
        JsonObject totp = JsonFields.object(json, "totp");
        return new ActivationResponse(
                JsonFields.string(json, "deviceId"),
                JsonFields.string(json, "issuer"),
                JsonFields.string(json, "username"),
                JsonFields.string(json, "channelUrl"),
                OtpSecret.fromBase32(JsonFields.string(totp, "secret")),
                new Totp(HmacAlgorithm.fromUriName(JsonFields.string(totp, "algorithm")),
                        JsonFields.integer(totp, "digits"),
                        JsonFields.integer(totp, "period")));
    }

    /** The body, secret included: send it once, over TLS, to the activating device. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("deviceId", deviceId)
                .put("issuer", issuer)
                .put("username", username)
                .put("channelUrl", channelUrl)
                .put("totp", new JsonObject()
                        .put("secret", totpSecret.base32())
                        .put("algorithm", totp.algorithm().uriName())
                        .put("digits", totp.digits())
                        .put("period", totp.periodSeconds()));
    }

    public String deviceId() {
        return deviceId;
    }

    public String issuer() {
        return issuer;
    }

    public String username() {
        return username;
    }

    /** The device's push channel, e.g. {@code wss://mfa.example.com/api/v1/devices/{deviceId}/channel}. */
    public String channelUrl() {
        return channelUrl;
    }

    /** {@link #channelUrl()} as a URI. */
    public URI channelUri() {
        return URI.create(channelUrl);
    }

    /** The TOTP seed of the fallback code (a secret). */
    public OtpSecret totpSecret() {
        return totpSecret;
    }

    /** The TOTP parameters. */
    public Totp totp() {
        return totp;
    }

    /** All fields equal, the secret compared in constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ActivationResponse that
                && deviceId.equals(that.deviceId)
                && issuer.equals(that.issuer)
                && username.equals(that.username)
                && channelUrl.equals(that.channelUrl)
                && totp.equals(that.totp)
                && totpSecret.equals(that.totpSecret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, issuer, username, channelUrl, totp);
    }

    @Override
    public String toString() {
        return "ActivationResponse[deviceId=" + deviceId + ", issuer=" + issuer + ", username=" + username
                + ", channelUrl=" + channelUrl + ", totp=" + totp + ", totpSecret=redacted]";
    }

    private static String checkChannelUrl(String channelUrl) {
        Fields.text("channelUrl", channelUrl, 1024);
        URI uri;
        try {
            uri = new URI(channelUrl);
        } catch (URISyntaxException e) {
            throw new ProtocolException("channelUrl", "is not a valid URL");
        }
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null) {
            throw new ProtocolException("channelUrl", "must be an absolute URL with a host");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = scheme.equals("wss") || scheme.equals("https");
        boolean plain = scheme.equals("ws") || scheme.equals("http");
        if (!secure && !(plain && EnrollmentUri.isLoopback(uri.getHost()))) {
            throw new ProtocolException("channelUrl", "must use wss (plain ws only for a loopback host)");
        }
        return channelUrl;
    }
}
