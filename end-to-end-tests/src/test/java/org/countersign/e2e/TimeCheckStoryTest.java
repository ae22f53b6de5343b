package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.countersign.authenticator.vault.ClockCheck;
import org.countersign.authenticator.vault.KdfParameters;
import org.countersign.authenticator.vault.Vault;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authenticator time-check} against the real service: the app asks each push service's {@code /health} for
 * its time (the HTTP {@code Date} header), says how far the local clock is from it, keeps the measurement in the
 * vault, and {@code code} warns about it later.
 */
@Timeout(120)
class TimeCheckStoryTest {
    static TestService service;

    @TempDir
    static Path home;

    @BeforeAll
    static void start() {
        service = TestService.start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    /** A new vault, on a computer whose clock is {@code appClock}, with a push account of {@code user} in it. */
    private static AppRunner enrolled(String user, Clock appClock) {
        AppRunner app = new AppRunner(home.resolve(user + ".cs"), appClock);
        assertThat(app.run("init").exitCode()).isZero();
        String admin = service.flows().adminToken();
        service.flows().createUser(admin, user, "enforced");
        String registration = service.flows().signIn(user).string("sessionToken");
        Api.Response enrollment = service.api.post("/api/v1/enrollments", new JsonObject(), registration);
        assertThat(enrollment.status()).as(enrollment.toString()).isEqualTo(201);
        AppRunner.Run added = app.run("add", enrollment.string("uri"));
        assertThat(added.exitCode()).as(added.toString()).isZero();
        return app;
    }

    private static ClockCheck keptCheck(String user) {
        VaultFile file = new VaultFile(home.resolve(user + ".cs"), KdfParameters.forTestsOnly(), new SecureRandom(),
                VaultFile.FileWriting.DIRECT);
        Vault vault = file.read(AppRunner.PASSPHRASE.toCharArray());
        return vault.clockChecks().get(service.api.baseUrl());
    }

    @Test
    void aClockInStepWithTheServicePassesAndTheMeasurementIsKept() {
        AppRunner app = enrolled("tess", service.clock);

        AppRunner.Run check = app.run("time-check");

        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).contains("ok: the local clock is").contains(service.api.baseUrl());
        assertThat(check.err()).isEmpty();
        ClockCheck kept = keptCheck("tess");
        assertThat(kept).as("the clock check stored in the vault").isNotNull();
        assertThat(kept.skew().abs()).isLessThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(kept.measuredAt()).isEqualTo(service.clock.instant());
    }

    @Test
    void aClockAMinuteBehindTheServiceFailsAndCodeWarnsAboutIt() {
        AppRunner app = enrolled("theo", Clock.offset(service.clock, Duration.ofSeconds(-60)));

        AppRunner.Run check = app.run("time-check");

        assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
        assertThat(check.out()).containsPattern("error: the local clock is \\d\\d\\.\\d s behind "
                + java.util.regex.Pattern.quote(service.api.baseUrl()));
        assertThat(check.err()).contains("turn on automatic time");
        assertThat(keptCheck("theo").skew()).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(61));
        AppRunner.Run code = app.run("code", "theo");
        assertThat(code.exitCode()).as(code.toString()).isZero();
        assertThat(code.err()).contains("s behind " + service.api.baseUrl()).contains("may be refused");
    }
}
