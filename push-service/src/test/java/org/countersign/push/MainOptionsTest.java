package org.countersign.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags that cannot be right stop the service before it starts, with one line that names the flag. */
class MainOptionsTest {
    private final StringWriter err = new StringWriter();

    @Test
    void aNegativeOverloadLatencyTargetIsRefused() {
        assertThat(run("--overload-latency-target-ms", "-1")).isEqualTo(1);
        assertThat(err.toString()).contains("--overload-latency-target-ms must be from 0 (off) to 10000, not -1");
    }

    @Test
    void anOverloadLatencyTargetAboveTenSecondsIsRefused() {
        assertThat(run("--overload-latency-target-ms", "10001")).isEqualTo(1);
        assertThat(err.toString()).contains("--overload-latency-target-ms must be from 0 (off) to 10000");
    }

    @Test
    void anOverloadLatencyTargetThatIsNotANumberIsRefused() {
        assertThat(run("--overload-latency-target-ms", "fast")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--overload-latency-target-ms").contains("fast");
    }

    @Test
    void theDefaultTargetIsFiftyMilliseconds() {
        assertThat(Config.DEFAULT_OVERLOAD_LATENCY_TARGET.toMillis()).isEqualTo(50);
        assertThat(new CommandLine(new Main()).getCommandSpec().findOption("--overload-latency-target-ms")
                .defaultValue()).isEqualTo("50");
    }

    @Test
    void aBoundOfNoLongPollsIsRefused() {
        assertThat(run("--max-long-polls", "0")).isEqualTo(1);
        assertThat(err.toString()).contains("--max-long-polls must be positive");
    }

    @Test
    void aBoundOfLongPollsThatIsNotANumberIsRefused() {
        assertThat(run("--max-long-polls", "many")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--max-long-polls").contains("many");
    }

    @Test
    void longPollsAreBoundedApartAndMoreGenerouslyThanRequestsInFlight() {
        assertThat(new CommandLine(new Main()).getCommandSpec().findOption("--max-long-polls").defaultValue())
                .isEqualTo("8192");
        assertThat(Config.DEFAULT_MAX_LONG_POLLS).isGreaterThan(Config.defaultMaxRequestsInFlight(Main.MIN_POOL));
    }

    private int run(String... args) {
        CommandLine commandLine = Main.commandLine();
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
