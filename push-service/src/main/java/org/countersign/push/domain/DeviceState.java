package org.countersign.push.domain;

import java.util.Locale;

/** A device is unverified until its test notification is approved; removed devices are kept for the record. */
public enum DeviceState {
    UNVERIFIED, VERIFIED, REMOVED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeviceState fromWire(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
