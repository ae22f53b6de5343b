package org.countersign.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sign-in screen the simulated person reads: the relying party's create call shows the number, the device
 * shows the request, and the person types the one into the other. The number never travels to the device through
 * the service (number matching); it is handed over here, in-process, whichever of the two arrives first.
 */
public final class Screen {
    private final Map<String, Check> checks = new ConcurrentHashMap<>();

    /** A check as the person sees it: the number once shown, the device once it rang, and when it rang. */
    public static final class Check {
        private String number;
        private DeviceFleet.Channel device;
        private long requestArrivedNanos;
        private boolean answered;

        public synchronized long requestArrivedNanos() {
            return requestArrivedNanos;
        }

        synchronized boolean readyToAnswer() {
            if (answered || number == null || device == null) {
                return false;
            }
            answered = true;
            return true;
        }
    }

    /** The create call returned {@code number} for {@code checkId}; answers at once if the device already rang. */
    public Check shown(String checkId, String number) {
        Check check = checks.computeIfAbsent(checkId, id -> new Check());
        synchronized (check) {
            check.number = number;
        }
        if (check.readyToAnswer()) {
            DeviceFleet.Channel device;
            synchronized (check) {
                device = check.device;
            }
            device.approve(checkId, number);
        }
        return check;
    }

    /** The device got the request for {@code checkId} at {@code nanos}; answers at once if the number is known. */
    public void rang(String checkId, DeviceFleet.Channel device, long nanos) {
        Check check = checks.computeIfAbsent(checkId, id -> new Check());
        synchronized (check) {
            check.device = device;
            check.requestArrivedNanos = nanos;
        }
        if (check.readyToAnswer()) {
            String number;
            synchronized (check) {
                number = check.number;
            }
            device.approve(checkId, number);
        }
    }

    /** Forgets a finished check. */
    public void done(String checkId) {
        checks.remove(checkId);
    }

    /** Forgets every check (between steps: requests for checks that were never shown are dropped). */
    public void clear() {
        checks.clear();
    }
}
