package org.countersign.protocol;

import java.util.Locale;

/** The two kinds of {@code otpauth://} account: time-based and counter-based. */
public enum OtpType {
    TOTP,
    HOTP;

    /** The URI host part: {@code totp} or {@code hotp}. */
    public String uriName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type for a URI host part, ignoring case.
     *
     * @throws ProtocolException for field {@code type} when unknown
     */
    public static OtpType fromUriName(String name) {
        for (OtpType type : values()) {
            if (type.uriName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new ProtocolException("type", "must be totp or hotp");
    }
}
