package org.countersign.push.enroll;

import java.net.URI;
import java.util.Objects;
import java.util.UUID;

/** The addresses devices are given: built from the service's public URL, never from a request's Host header. */
public record PublicUrls(URI base) {
    public PublicUrls {
        Objects.requireNonNull(base, "base");
        String scheme = base.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("the public URL must be http or https: " + base);
        }
        String text = base.toString();
        base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    public URI activationUrl() {
        return URI.create(base + "/api/v1/enrollments/activate");
    }

    public String channelUrl(UUID deviceId) {
        String ws = base.getScheme().equals("https") ? "wss" : "ws";
        return ws + base.toString().substring(base.getScheme().length()) + "/api/v1/devices/" + deviceId + "/channel";
    }
}
