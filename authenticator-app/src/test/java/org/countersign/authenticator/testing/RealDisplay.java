package org.countersign.authenticator.testing;

import java.awt.GraphicsEnvironment;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The gate of every test that needs a real display (windows, the screen, the clipboard). Without a display such a
 * test is reported as skipped, unless {@value #REQUIRED_PROPERTY} is true (CI sets it): then it fails, so that a CI
 * machine that lost its Xvfb cannot go green with the GUI untested.
 */
public final class RealDisplay {
    /** The system property that turns "skipped: no display" into a failure. */
    public static final String REQUIRED_PROPERTY = "countersign.gui.required";

    private RealDisplay() {
    }

    /** Call first (e.g. in {@code @BeforeEach}): returns when there is a display; else skips or fails. */
    public static void require() {
        require(GraphicsEnvironment.isHeadless(), Boolean.getBoolean(REQUIRED_PROPERTY));
    }

    static void require(boolean headless, boolean required) {
        if (!headless) {
            return;
        }
        if (required) {
            Assertions.fail("No display, and " + REQUIRED_PROPERTY + "=true says the GUI tests must run here."
                    + " Run them under Xvfb: xvfb-run -a mvn verify");
        }
        Assumptions.abort("GUI test skipped: no display. Run it under Xvfb: xvfb-run -a mvn verify");
    }
}
