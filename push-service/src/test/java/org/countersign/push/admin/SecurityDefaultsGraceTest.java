package org.countersign.push.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Switching security defaults back on restarts everyone's 14-day registration grace, from each user's first
 * sign-in after the switch (the clock is moved, nobody sleeps).
 */
class SecurityDefaultsGraceTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation();
    static final AdminCalls calls = new AdminCalls(fixture::api);

    /**
     * A full session of an admin created earlier who signs in now: their own grace starts at this sign-in, so the
     * registration is skippable and the session is good for admin calls.
     */
    private static String signInAsAdmin(String name) {
        Api.Response signIn = fixture.flows().signIn(name);
        assertThat(signIn.json().getBoolean("skippable")).as(signIn.toString()).isTrue();
        return signIn.string("sessionToken");
    }

    @Test
    void restartsTheFourteenDaysWhenSecurityDefaultsAreSwitchedBackOn() {
        String admin = fixture.flows().adminToken();
        fixture.flows().createUser(admin, "gr-kim", "disabled");
        Api.Response created = fixture.api().post("/api/v1/admin/users", new JsonObject().put("username", "gr-ops")
                .put("role", "admin").put("password", TestService.PASSWORD), admin);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(fixture.flows().signIn("gr-kim").json().getInteger("daysLeft")).isEqualTo(14);

        fixture.clock().advance(Duration.ofDays(15));
        Api.Response late = fixture.flows().signIn("gr-kim");
        assertThat(late.json().getBoolean("skippable")).isFalse();
        assertThat(late.json().getInteger("daysLeft")).isZero();

        String ops = signInAsAdmin("gr-ops");
        calls.setSettings(new JsonObject().put("securityDefaults", false), ops);
        assertThat(fixture.flows().signIn("gr-kim").string("state")).isEqualTo("approved");
        Instant switchedOn = fixture.clock().instant().plus(Duration.ofHours(1));
        fixture.clock().set(switchedOn);
        Api.Response on = calls.settings(new JsonObject().put("securityDefaults", true), ops);
        assertThat(on.status()).as(on.toString()).isEqualTo(200);
        assertThat(Instant.parse(on.string("securityDefaultsSince"))).isEqualTo(switchedOn);
        assertThat(fixture.service().count("audit_events WHERE type = 'admin.settings_changed' AND actor = 'gr-ops' "
                + "AND detail->>'securityDefaults' = 'true'")).isEqualTo(1);

        fixture.clock().advance(Duration.ofDays(2));
        Api.Response again = fixture.flows().signIn("gr-kim");
        assertThat(again.string("state")).isEqualTo("registration_required");
        assertThat(again.json().getBoolean("skippable")).isTrue();
        assertThat(again.json().getInteger("daysLeft")).as("counted from this first sign-in after the switch")
                .isEqualTo(14);

        fixture.clock().advance(Duration.ofDays(13));
        assertThat(fixture.flows().signIn("gr-kim").json().getInteger("daysLeft")).isEqualTo(1);
        fixture.clock().advance(Duration.ofDays(1));
        Api.Response over = fixture.flows().signIn("gr-kim");
        assertThat(over.json().getBoolean("skippable")).isFalse();
    }
}
