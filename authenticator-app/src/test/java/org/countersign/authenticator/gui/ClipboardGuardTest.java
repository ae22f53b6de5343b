package org.countersign.authenticator.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipboardGuardTest {
    private final FakeClipboard clipboard = new FakeClipboard();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final List<Duration> delays = new ArrayList<>();
    private final ClipboardGuard guard = new ClipboardGuard(clipboard, (task, delay) -> {
        scheduled.add(task);
        delays.add(delay);
    }, Duration.ofSeconds(30));

    @Test
    void aCopiedCodeIsClearedAfterThirtySeconds() {
        guard.copy("123456");

        assertThat(clipboard.text()).isEqualTo("123456");
        assertThat(delays).containsExactly(Duration.ofSeconds(30));
        scheduled.get(0).run();
        assertThat(clipboard.text()).isEmpty();
    }

    @Test
    void somethingCopiedSinceIsLeftAlone() {
        guard.copy("123456");
        clipboard.put("my own text");

        scheduled.get(0).run();

        assertThat(clipboard.text()).isEqualTo("my own text");
    }

    @Test
    void lockingClearsTheCodeAtOnce() {
        guard.copy("123456");

        guard.clearNow();

        assertThat(clipboard.text()).isEmpty();
    }

    private static final class FakeClipboard implements ClipboardGuard.TextClipboard {
        private String text = "before";

        @Override
        public void put(String value) {
            text = value;
        }

        @Override
        public String text() {
            return text;
        }

        @Override
        public void clear() {
            text = "";
        }
    }
}
