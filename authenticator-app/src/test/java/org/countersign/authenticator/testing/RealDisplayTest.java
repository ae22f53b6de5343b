package org.countersign.authenticator.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RealDisplayTest {
    @Test
    void withADisplayTheTestRuns() {
        assertThatCode(() -> RealDisplay.require(false, true)).doesNotThrowAnyException();
        assertThatCode(() -> RealDisplay.require(false, false)).doesNotThrowAnyException();
    }

    @Test
    void withoutADisplayTheTestIsSkipped() {
        assertThatThrownBy(() -> RealDisplay.require(true, false)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("xvfb-run");
    }

    @Test
    void withoutADisplayButRequiredTheTestFails() {
        assertThatThrownBy(() -> RealDisplay.require(true, true)).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("countersign.gui.required=true");
    }
}
