package org.countersign.protocol;

import java.util.Locale;

/** The HMAC hash functions RFC 6238 allows for OTP codes. */
public enum HmacAlgorithm {
    SHA1("HmacSHA1", "SHA1"),
    SHA256("HmacSHA256", "SHA256"),
    SHA512("HmacSHA512", "SHA512");

    private final String jcaName;
    private final String uriName;

    HmacAlgorithm(String jcaName, String uriName) {
        this.jcaName = jcaName;
        this.uriName = uriName;
    }

    /** The {@link javax.crypto.Mac} algorithm name, e.g. {@code HmacSHA1}. */
    public String jcaName() {
        return jcaName;
    }

    /** The name in {@code otpauth://} URIs and activation responses, e.g. {@code SHA1}. */
    public String uriName() {
        return uriName;
    }

    /**
     * The algorithm for a URI name, ignoring case ({@code sha256} works).
     *
     * @throws ProtocolException for field {@code algorithm} when the name is null or unknown
     */
    public static HmacAlgorithm fromUriName(String name) {
        if (name != null) {
            String upper = name.toUpperCase(Locale.ROOT);
            for (HmacAlgorithm algorithm : values()) {
                if (algorithm.uriName.equals(upper)) {
                    return algorithm;
                }
            }
        }
        throw new ProtocolException("algorithm", "must be SHA1, SHA256 or SHA512");
    }
}
