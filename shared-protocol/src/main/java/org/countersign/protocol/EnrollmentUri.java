package org.countersign.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The QR code payload that registers the authenticator app with a push service:
 * {@code countersign://enroll?v=1&url=<activation URL>&code=<code>&issuer=<org>&user=<username>[&pin=sha256/...]}.
 *
 * <p>A final class, not a record: the activation code is a secret, so {@link #toString()} redacts it and
 * {@link #equals(Object)} compares it in constant time. Every instance is valid: the activation URL is absolute
 * https (http only for a loopback host), the pin if present is {@code sha256/} and the standard base64 of 32 bytes,
 * and the formatted URI fits in {@value #MAX_LENGTH} bytes.
 */
public final class EnrollmentUri {

    /** The largest payload, in UTF-8 bytes, that parse accepts and format produces. */
    public static final int MAX_LENGTH = 1024;
    /** The only protocol version this class reads and writes. */
    public static final String VERSION = "1";

    private static final String PREFIX = "countersign://";
    private static final String HOST = "enroll";
    private static final String PIN_PREFIX = "sha256/";
    private static final int MAX_CODE_LENGTH = 128;
    private static final int MAX_NAME_LENGTH = 256;

    private final URI activationUrl;
    private final String code;
    private final String issuer;
    private final String user;
    private final String pin;

    private EnrollmentUri(URI activationUrl, String code, String issuer, String user, String pin) {
        this.activationUrl = activationUrl;
        this.code = code;
        this.issuer = issuer;
        this.user = user;
        this.pin = pin;
    }

    /**
     * Builds and validates an enrollment URI.
     *
     * @throws ProtocolException naming the field ({@code url}, {@code code}, {@code issuer}, {@code user},
     *                           {@code pin}, or {@code uri} when the result would exceed {@value #MAX_LENGTH} bytes)
     */
    public static EnrollmentUri of(URI activationUrl, String code, String issuer, String user, Optional<String> pin) {
        Objects.requireNonNull(pin, "pin");
        EnrollmentUri enrollment = new EnrollmentUri(checkUrl(activationUrl), Fields.text("code", code, MAX_CODE_LENGTH),
                Fields.text("issuer", issuer, MAX_NAME_LENGTH), Fields.text("user", user, MAX_NAME_LENGTH),
                pin.map(EnrollmentUri::checkPin).orElse(null));
        checkLength(enrollment.format());
        return enrollment;
    }

    /**
     * Parses a scanned payload. Parameters other than the five known ones are ignored (forward compatible);
     * a repeated parameter is refused; {@code +} is a plus sign, not a space.
     *
     * @throws ProtocolException naming the field: {@code uri} (missing or over {@value #MAX_LENGTH} bytes),
     *                           {@code scheme}, {@code host}, {@code v}, {@code url}, {@code code}, {@code issuer},
     *                           {@code user} or {@code pin}
     */
    public static EnrollmentUri parse(String uri) {
        if (uri == null || uri.isEmpty()) {
            throw new ProtocolException("uri", "is missing");
        }
        checkLength(uri);
        if (!uri.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new ProtocolException("scheme", "must be countersign://");
        }
        String rest = uri.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String host = question < 0 ? rest : rest.substring(0, question);
        if (!host.equalsIgnoreCase(HOST) && !host.equalsIgnoreCase(HOST + "/")) {
            throw new ProtocolException("host", "must be enroll");
        }
        Map<String, String> query = UriCoding.query(question < 0 ? "" : rest.substring(question + 1));
        String version = required(query, "v");
        if (!VERSION.equals(version)) {
            throw new ProtocolException("v", "version " + version + " is not supported (this app reads version 1)");
        }
        URI url;
        try {
            url = new URI(required(query, "url"));
        } catch (URISyntaxException e) {
            throw new ProtocolException("url", "is not a valid URL");
        }
        Optional<String> pin = Optional.ofNullable(query.get("pin"));
        return of(url, required(query, "code"), required(query, "issuer"), required(query, "user"), pin);
    }

    /** The canonical URI; {@code parse(format())} equals this value. */
    public String format() {
        StringBuilder out = new StringBuilder(PREFIX).append(HOST)
                .append("?v=").append(VERSION)
                .append("&url=").append(UriCoding.encode(activationUrl.toString()))
                .append("&code=").append(UriCoding.encode(code))
                .append("&issuer=").append(UriCoding.encode(issuer))
                .append("&user=").append(UriCoding.encode(user));
        if (pin != null) {
            out.append("&pin=").append(UriCoding.encode(pin));
        }
        return out.toString();
    }

    /** Where the app posts its activation: absolute https, or http to a loopback host. */
    public URI activationUrl() {
        return activationUrl;
    }

    /** The one-time activation code (a secret: do not log it). */
    public String code() {
        return code;
    }

    /** The organisation, shown as the account's name in the app. */
    public String issuer() {
        return issuer;
    }

    /** The username the device is being registered for. */
    public String user() {
        return user;
    }

    /** The server TLS key pin, {@code sha256/<base64 of the SPKI SHA-256>}, when given. */
    public Optional<String> pin() {
        return Optional.ofNullable(pin);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EnrollmentUri that
                && activationUrl.equals(that.activationUrl)
                && issuer.equals(that.issuer)
                && user.equals(that.user)
                && Objects.equals(pin, that.pin)
                && MessageDigest.isEqual(code.getBytes(StandardCharsets.UTF_8), that.code.getBytes(StandardCharsets.UTF_8));
    }

    /** Leaves the code out. */
    @Override
    public int hashCode() {
        return Objects.hash(activationUrl, issuer, user, pin);
    }

    @Override
    public String toString() {
        return "EnrollmentUri[url=" + activationUrl + ", issuer=" + issuer + ", user=" + user
                + ", pin=" + (pin == null ? "none" : pin) + ", code=redacted]";
    }

    private static String required(Map<String, String> query, String field) {
        String value = query.get(field);
        if (value == null || value.isEmpty()) {
            throw new ProtocolException(field, "is missing");
        }
        return value;
    }

    private static void checkLength(String uri) {
        if (uri.length() > MAX_LENGTH || uri.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new ProtocolException("uri", "is longer than " + MAX_LENGTH + " bytes");
        }
    }

    private static URI checkUrl(URI url) {
        if (url == null) {
            throw new ProtocolException("url", "is missing");
        }
        if (!url.isAbsolute() || url.isOpaque() || url.getHost() == null) {
            throw new ProtocolException("url", "must be an absolute URL with a host");
        }
        if (url.getRawUserInfo() != null) {
            throw new ProtocolException("url", "must not contain user information");
        }
        if (url.getRawFragment() != null) {
            throw new ProtocolException("url", "must not contain a fragment");
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        boolean allowed = scheme.equals("https") || (scheme.equals("http") && isLoopback(url.getHost()));
        if (!allowed) {
            throw new ProtocolException("url", "must use https (plain http only for a loopback host)");
        }
        return url;
    }

    /** localhost, 127.0.0.0/8 or [::1], judged from the text alone: no DNS lookup. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]") || h.equals("[0:0:0:0:0:0:0:1]")) {
            return true;
        }
        String[] octets = h.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String octet : octets) {
            if (!Fields.isAsciiDigits(octet) || octet.length() > 3 || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String checkPin(String pin) {
        if (!pin.startsWith(PIN_PREFIX)) {
            throw new ProtocolException("pin", "must be sha256/<base64 of a SHA-256 hash>");
        }
        String encoded = pin.substring(PIN_PREFIX.length());
        try {
            byte[] hash = Base64.getDecoder().decode(encoded);
            if (hash.length != 32 || !Base64.getEncoder().encodeToString(hash).equals(encoded)) {
                throw new ProtocolException("pin", "must be the padded base64 of 32 bytes");
            }
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("pin", "is not valid base64");
        }
        return pin;
    }
}
