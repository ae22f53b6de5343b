package org.countersign.authenticator.gui;

import java.time.Duration;
import java.util.Objects;

/**
 * Copies codes to the clipboard and takes them away again: after {@code clearAfter}, or when the app locks, the
 * clipboard is emptied if it still holds the code that was copied (something the person copied since is left alone).
 */
public final class ClipboardGuard {
    /** The default time a copied code stays on the clipboard. */
    public static final Duration DEFAULT_CLEAR_AFTER = Duration.ofSeconds(30);

    /** The system clipboard, as text. */
    public interface TextClipboard {
        void put(String text);

        /** The clipboard's text, or null when it holds something else or cannot be read. */
        String text();

        void clear();
    }

    /** Runs a task once after a delay (a Swing timer in the app, a list in tests). */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    private final TextClipboard clipboard;
    private final Scheduler scheduler;
    private final Duration clearAfter;
    private String lastCopied;

    public ClipboardGuard(TextClipboard clipboard, Scheduler scheduler, Duration clearAfter) {
        this.clipboard = Objects.requireNonNull(clipboard, "clipboard");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.clearAfter = Objects.requireNonNull(clearAfter, "clearAfter");
    }

    public Duration clearAfter() {
        return clearAfter;
    }

    /** Puts the code on the clipboard and schedules its removal. */
    public synchronized void copy(String code) {
        clipboard.put(code);
        lastCopied = code;
        scheduler.schedule(() -> clearIfStillHolds(code), clearAfter);
    }

    /** Empties the clipboard now if it still holds the last code copied (for example when the app locks). */
    public synchronized void clearNow() {
        if (lastCopied != null) {
            clearIfStillHolds(lastCopied);
        }
    }

    private synchronized void clearIfStillHolds(String code) {
        if (code.equals(clipboard.text())) {
            clipboard.clear();
        }
        if (code.equals(lastCopied)) {
            lastCopied = null;
        }
    }
}
