package org.countersign.push.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import org.countersign.protocol.ApprovalRequest;
import org.countersign.protocol.ApprovalResult;
import org.countersign.protocol.Decision;
import org.countersign.protocol.Totp;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.Rows;
import org.countersign.push.testing.ServiceFixture;
import org.countersign.push.testing.TestDevice;
import org.countersign.push.testing.TestService;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cookie sessions, CSRF and the /web endpoints of the pages (docs/web-sessions.md), through real HTTP. */
class WebSessionsTest {
    @RegisterExtension
    static final ServiceFixture fixture = ServiceFixture.freshInstallation().withAdminSignedIn();

    private static CookieBrowser browser() {
        return new CookieBrowser(fixture.api().baseUrl());
    }

    private static TestDevice userWithDevice(String username) {
        fixture.flows().createUser(fixture.admin(), username, "enforced");
        return fixture.flows().registerDevice(username);
    }

    private static CookieBrowser.Answer startSignIn(CookieBrowser browser, String username) {
        CookieBrowser.Answer started = browser.post("/web/sign-in", new JsonObject().put("username", username)
                .put("password", TestService.PASSWORD));
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        return started;
    }

    /** Signs a browser in with push: the page shows the number, the device approves it, the poll collects. */
    private static CookieBrowser signedIn(String username, TestDevice device) {
        CookieBrowser browser = browser();
        CookieBrowser.Answer started = startSignIn(browser, username);
        approve(device, started.string("number"));
        CookieBrowser.Answer status = browser.get("/web/sign-in/status?waitSeconds=5");
        assertThat(status.string("state")).as(status.toString()).isEqualTo("approved");
        return browser;
    }

    private static String approve(TestDevice device, String number) {
        ApprovalRequest request = device.next(ApprovalRequest.class);
        device.send(device.answer(request.signInId(), Decision.APPROVE, number));
        assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
        return request.signInId();
    }

    @Nested
    class PushSignIn {
        @Test
        void showsTheNumberAndSetsTheSessionCookieOnlyOnApproval() {
            try (TestDevice device = userWithDevice("wanda")) {
                CookieBrowser browser = browser();
                CookieBrowser.Answer started = startSignIn(browser, "wanda");
                assertThat(started.string("state")).isEqualTo("pending");
                assertThat(started.string("number")).matches("[1-9][0-9]");
                assertThat(started.json().getInteger("secondsLeft")).isEqualTo(90);
                assertThat(started.string("app")).isEqualTo("Countersign web");
                assertThat(started.json().containsKey("sessionToken")).isFalse();
                assertThat(started.json().containsKey("signInId")).isFalse();
                assertThat(started.setCookie("cs_pending")).get().asString()
                        .containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/web/sign-in")
                        .contains("Max-Age=600").doesNotContain("Secure");
                assertThat(started.setCookie("cs_session")).isEmpty();

                approve(device, started.string("number"));
                CookieBrowser.Answer status = browser.get("/web/sign-in/status?waitSeconds=5");
                assertThat(status.json().encode()).isEqualTo("{\"state\":\"approved\",\"app\":\"Countersign web\","
                        + "\"rememberMfaDays\":14}");
                assertThat(status.setCookie("cs_session")).get().asString().containsIgnoringCase("HttpOnly")
                        .contains("SameSite=Strict").contains("Path=/").doesNotContain("Max-Age");
                assertThat(browser.cookie("cs_pending")).isEmpty();

                JsonObject session = browser.get("/web/session").json();
                assertThat(session.getBoolean("signedIn")).isTrue();
                assertThat(session.getString("username")).isEqualTo("wanda");
                assertThat(session.getString("scope")).isEqualTo("full");
                assertThat(session.getBoolean("mfaCompleted")).isTrue();
                assertThat(session.getString("csrfToken")).matches("[A-Za-z0-9_-]{43}");
                assertThat(browser.get("/api/v1/me/methods").status()).isEqualTo(200);
            }
        }

        @Test
        void recordsTheTcpPeerAsTheClientAddressNotAForwardedHeader() {
            try (TestDevice device = userWithDevice("xena")) {
                CookieBrowser browser = browser();
                CookieBrowser.Answer started = browser.send(HttpRequest.newBuilder(
                                URI.create(fixture.api().baseUrl() + "/web/sign-in"))
                        .header("Content-Type", "application/json").header("X-Forwarded-For", "198.51.100.99")
                        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", "xena")
                                .put("password", TestService.PASSWORD).encode())), null);
                assertThat(started.string("state")).isEqualTo("pending");
                ApprovalRequest request = device.next(ApprovalRequest.class);
                assertThat(request.ip()).isEqualTo("127.0.0.1");
                assertThat(request.app()).isEqualTo("Countersign web");
            }
        }

        @Test
        void aWrongNumberIsReportedAndAnotherRequestCanBeSent() {
            try (TestDevice device = userWithDevice("yusuf")) {
                CookieBrowser browser = browser();
                CookieBrowser.Answer started = startSignIn(browser, "yusuf");
                assertThat(browser.post("/web/sign-in/retry", new JsonObject()).error()).isEqualTo("cannot_retry");
                ApprovalRequest request = device.next(ApprovalRequest.class);
                String wrong = started.string("number").equals("42") ? "24" : "42";
                device.send(device.answer(request.signInId(), Decision.APPROVE, wrong));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("denied");
                CookieBrowser.Answer denied = browser.get("/web/sign-in/status?waitSeconds=5");
                assertThat(denied.string("state")).isEqualTo("denied");
                assertThat(denied.string("reason")).isEqualTo("wrong_number");

                CookieBrowser.Answer again = browser.post("/web/sign-in/retry", new JsonObject());
                assertThat(again.status()).as(again.toString()).isEqualTo(200);
                assertThat(again.string("state")).isEqualTo("pending");
                approve(device, again.string("number"));
                assertThat(browser.get("/web/sign-in/status?waitSeconds=5").string("state")).isEqualTo("approved");
                assertThat(browser.cookie("cs_session")).isPresent();
            }
        }

        @Test
        void aRequestReportedAsFraudCannotBeSentAgain() {
            try (TestDevice device = userWithDevice("zoe")) {
                CookieBrowser browser = browser();
                startSignIn(browser, "zoe");
                ApprovalRequest request = device.next(ApprovalRequest.class);
                device.send(device.answer(request.signInId(), Decision.FRAUD, null));
                device.next(ApprovalResult.class);
                assertThat(browser.get("/web/sign-in/status?waitSeconds=5").string("reason"))
                        .isEqualTo("fraud_reported");
                CookieBrowser.Answer retry = browser.post("/web/sign-in/retry", new JsonObject());
                assertThat(retry.status()).isEqualTo(409);
                assertThat(retry.string("message")).contains("Sign in with your password");
            }
        }

        @Test
        void theTotpFallbackSignsInWithACodeFromTheApp() {
            try (TestDevice device = userWithDevice("tariq")) {
                CookieBrowser browser = browser();
                startSignIn(browser, "tariq");
                CookieBrowser.Answer wrong = browser.post("/web/sign-in/totp", new JsonObject().put("code", "000000"));
                assertThat(wrong.status()).isEqualTo(400);
                assertThat(wrong.error()).isEqualTo("invalid_code");
                String code = Totp.DEFAULT.codeAt(device.activation().totpSecret(), fixture.clock().instant());
                CookieBrowser.Answer right = browser.post("/web/sign-in/totp", new JsonObject().put("code", code));
                assertThat(right.status()).as(right.toString()).isEqualTo(200);
                assertThat(right.string("state")).isEqualTo("approved");
                assertThat(right.json().containsKey("sessionToken")).isFalse();
                assertThat(browser.cookie("cs_session")).isPresent();
                assertThat(browser.get("/web/session").json().getBoolean("mfaCompleted")).isTrue();
            }
        }
    }

    @Nested
    class TheBrowserBinding {
        @Test
        void anotherBrowserCannotCollectTheSessionNorCanTheApiWithTheSignInId() {
            try (TestDevice device = userWithDevice("ursula")) {
                CookieBrowser victim = browser();
                CookieBrowser.Answer started = startSignIn(victim, "ursula");
                String signInId = approve(device, started.string("number"));

                CookieBrowser attacker = browser();
                startSignIn(attacker, "ursula");   // the attacker's own binding, for a sign-in of its own
                device.next(ApprovalRequest.class);
                CookieBrowser.Answer stolen = attacker.get("/web/sign-in/status");
                assertThat(stolen.string("state")).isEqualTo("pending");
                assertThat(attacker.cookie("cs_session")).isEmpty();
                CookieBrowser stranger = browser();
                stranger.plant("cs_pending", "made-up-binding-value-of-the-right-length-xxx", "/web/sign-in");
                assertThat(stranger.get("/web/sign-in/status").error()).isEqualTo("no_sign_in");
                assertThat(browser().get("/web/sign-in/status").error()).isEqualTo("no_sign_in");

                Api.Response viaApi = fixture.api().get("/api/v1/sign-ins/" + signInId);
                assertThat(viaApi.string("state")).isEqualTo("approved");
                assertThat(viaApi.json().containsKey("sessionToken")).isFalse();

                assertThat(victim.get("/web/sign-in/status").string("state")).isEqualTo("approved");
                assertThat(victim.cookie("cs_session")).isPresent();
            }
        }

        @Test
        void isStoredOnlyAsAHash() {
            try (TestDevice device = userWithDevice("vera")) {
                CookieBrowser browser = browser();
                startSignIn(browser, "vera");
                String binding = browser.cookie("cs_pending").orElseThrow();
                String hash = java.util.HexFormat.of().formatHex(org.countersign.push.crypto.Tokens.hash(binding));
                assertThat(fixture.service().sql("SELECT count(*) AS n FROM sign_ins WHERE browser_binding = '\\x"
                        + hash + "'").iterator().next().getLong("n")).isEqualTo(1);
                assertThat(fixture.service().sql("SELECT count(*) AS n FROM sign_ins WHERE position(convert_to('"
                        + binding + "', 'UTF8') IN browser_binding) > 0").iterator().next().getLong("n")).isZero();
                device.next(ApprovalRequest.class);
            }
        }
    }

    @Nested
    class Csrf {
        @Test
        void aCookieCallThatChangesStateNeedsTheTokenAndABearerCallDoesNot() {
            try (TestDevice device = userWithDevice("sam")) {
                CookieBrowser browser = signedIn("sam", device);
                String before = fixture.service().snapshot();
                CookieBrowser.Answer without = browser.post("/api/v1/enrollments", new JsonObject());
                assertThat(without.status()).isEqualTo(403);
                assertThat(without.error()).isEqualTo("csrf_failed");
                CookieBrowser.Answer forged = browser.post("/api/v1/enrollments", new JsonObject(),
                        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
                assertThat(forged.error()).isEqualTo("csrf_failed");
                assertThat(browser.delete("/api/v1/me/devices/" + device.deviceId(), null).error())
                        .isEqualTo("csrf_failed");
                assertThat(fixture.service().snapshot()).isEqualTo(before);

                CookieBrowser.Answer with = browser.post("/api/v1/enrollments", new JsonObject(),
                        browser.csrfToken());
                assertThat(with.status()).as(with.toString()).isEqualTo(201);

                String bearer = fixture.flows().signInWithPush("sam", device);
                assertThat(fixture.api().post("/api/v1/enrollments", new JsonObject(), bearer).status()).isEqualTo(201);
            }
        }

        @Test
        void theTokenOfOneSessionDoesNotWorkForAnother() {
            try (TestDevice device = userWithDevice("rhea")) {
                CookieBrowser first = signedIn("rhea", device);
                CookieBrowser second = signedIn("rhea", device);
                String firstToken = first.csrfToken();
                assertThat(second.csrfToken()).isNotEqualTo(firstToken);
                assertThat(second.post("/api/v1/enrollments", new JsonObject(), firstToken).error())
                        .isEqualTo("csrf_failed");
            }
        }

        @Test
        void signOutNeedsTheTokenThenEndsTheSession() {
            try (TestDevice device = userWithDevice("quinn")) {
                CookieBrowser browser = signedIn("quinn", device);
                String token = browser.cookie("cs_session").orElseThrow();
                assertThat(browser.post("/web/sign-out", new JsonObject()).error()).isEqualTo("csrf_failed");
                CookieBrowser.Answer out = browser.post("/web/sign-out", new JsonObject(), browser.csrfToken());
                assertThat(out.status()).isEqualTo(200);
                assertThat(browser.cookie("cs_session")).isEmpty();
                assertThat(browser.get("/web/session").json().getBoolean("signedIn")).isFalse();
                CookieBrowser replay = browser();
                replay.plant("cs_session", token, "/");
                assertThat(replay.get("/api/v1/me/methods").status()).isEqualTo(401);
            }
        }

        @Test
        void pagePostsMustBeJsonSoThatNoCrossSiteFormCanSignSomeoneIn() {
            CookieBrowser browser = browser();
            CookieBrowser.Answer form = browser.send(HttpRequest.newBuilder(URI.create(fixture.api().baseUrl()
                    + "/web/sign-in")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=x")), null);
            assertThat(form.status()).isEqualTo(415);
            CookieBrowser.Answer bare = browser.send(HttpRequest.newBuilder(URI.create(fixture.api().baseUrl()
                    + "/web/sign-in")).POST(HttpRequest.BodyPublishers.ofString("{}")), null);
            assertThat(bare.status()).isEqualTo(415);
        }
    }

    @Nested
    class Remembering {
        @Test
        void dontAskAgainSkipsMfaUntilSignOutEverywhere() throws Exception {
            try (TestDevice device = userWithDevice("petra")) {
                CookieBrowser browser = browser();
                CookieBrowser.Answer started = startSignIn(browser, "petra");
                // ticked while the page's long poll is in flight: that poll brings the remember cookie
                java.util.concurrent.CompletableFuture<CookieBrowser.Answer> polling = java.util.concurrent
                        .CompletableFuture.supplyAsync(() -> browser.get("/web/sign-in/status?waitSeconds=10"));
                CookieBrowser.Answer ticked = browser.post("/web/sign-in/remember",
                        new JsonObject().put("rememberDevice", true));
                assertThat(ticked.status()).as(ticked.toString()).isEqualTo(200);
                approve(device, started.string("number"));
                CookieBrowser.Answer status = polling.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(status.string("state")).isEqualTo("approved");
                assertThat(status.setCookie("cs_remember")).get().asString().containsIgnoringCase("HttpOnly")
                        .contains("SameSite=Strict").contains("Max-Age=" + 14 * 86400);

                browser.post("/web/sign-out", new JsonObject(), browser.csrfToken());
                assertThat(browser.cookie("cs_remember")).isPresent();
                CookieBrowser.Answer remembered = startSignIn(browser, "petra");
                assertThat(remembered.string("state")).isEqualTo("approved");
                assertThat(browser.get("/web/session").json().getBoolean("mfaCompleted")).isTrue();
                assertThat(device.quietFor(java.time.Duration.ofMillis(300))).isTrue();

                CookieBrowser.Answer everywhere = browser.post("/api/v1/me/sign-out-everywhere", new JsonObject(),
                        browser.csrfToken());
                assertThat(everywhere.status()).as(everywhere.toString()).isEqualTo(200);
                assertThat(browser.get("/api/v1/me/methods").status()).isEqualTo(401);
                CookieBrowser.Answer asked = startSignIn(browser, "petra");
                assertThat(asked.string("state")).isEqualTo("pending");
                device.next(ApprovalRequest.class);
            }
        }

        @Test
        void theRememberTokenIsStoredOnlyAsItsHash() {
            try (TestDevice device = userWithDevice("nico")) {
                CookieBrowser browser = browser();
                rememberedSignIn(browser, "nico", device, 14);
                String token = browser.cookie("cs_remember").orElseThrow();
                String hash = java.util.HexFormat.of().formatHex(org.countersign.push.crypto.Tokens.hash(token));
                assertThat(fixture.service().sql("SELECT count(*) AS n FROM remembered_devices WHERE token_hash = '\\x"
                        + hash + "'").iterator().next().getLong("n")).isEqualTo(1);
                assertThat(fixture.service().sql("SELECT count(*) AS n FROM remembered_devices t "
                        + "WHERE strpos(t::text, '" + token + "') > 0 "
                        + "OR position(convert_to('" + token + "', 'UTF8') IN t.token_hash) > 0")
                        .iterator().next().getLong("n")).isZero();
            }
        }

        @Test
        void theCookieLastsTheDaysOfTheSettingsAndNoneIsSetAtZero() {
            try (TestDevice device = userWithDevice("lior")) {
                setRememberDays(7);
                CookieBrowser week = browser();
                assertThat(rememberedSignIn(week, "lior", device, 7).setCookie("cs_remember")).get().asString()
                        .contains("Max-Age=604800");
                assertThat(week.get("/web/session").json().getInteger("rememberMfaDays")).isEqualTo(7);

                setRememberDays(0);
                long before = fixture.service().count("remembered_devices");
                CookieBrowser never = browser();
                assertThat(rememberedSignIn(never, "lior", device, 0).setCookie("cs_remember")).isEmpty();
                assertThat(never.cookie("cs_remember")).isEmpty();
                assertThat(fixture.service().count("remembered_devices")).isEqualTo(before);
            } finally {
                setRememberDays(14);
            }
        }

        /** A push sign-in that asks for "don't ask again", offered for {@code days}; answers the approved poll. */
        private CookieBrowser.Answer rememberedSignIn(CookieBrowser browser, String username, TestDevice device,
                                                      int days) {
            CookieBrowser.Answer started = browser.post("/web/sign-in", new JsonObject().put("username", username)
                    .put("password", TestService.PASSWORD).put("rememberDevice", true));
            assertThat(started.string("state")).as(started.toString()).isEqualTo("pending");
            assertThat(started.json().getInteger("rememberMfaDays")).isEqualTo(days);
            approve(device, started.string("number"));
            CookieBrowser.Answer approved = browser.get("/web/sign-in/status?waitSeconds=5");
            assertThat(approved.string("state")).as(approved.toString()).isEqualTo("approved");
            return approved;
        }

        private void setRememberDays(int days) {
            CookieBrowser.Answer changed = browser().send(HttpRequest.newBuilder(URI.create(fixture.api().baseUrl()
                            + "/api/v1/admin/settings")).header("Authorization", "Bearer " + fixture.admin())
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("rememberMfaDays", days).encode())),
                    null);
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        }

        @Test
        void theAdminCanRestoreMfaOnRememberedDevices() {
            try (TestDevice device = userWithDevice("olga")) {
                CookieBrowser browser = browser();
                CookieBrowser.Answer started = browser.post("/web/sign-in", new JsonObject().put("username", "olga")
                        .put("password", TestService.PASSWORD).put("rememberDevice", true));
                approve(device, started.string("number"));
                assertThat(browser.get("/web/sign-in/status?waitSeconds=5").setCookie("cs_remember")).isPresent();
                assertThat(startSignIn(browser, "olga").string("state")).isEqualTo("approved");

                Api.Response action = fixture.api().post("/api/v1/admin/users/olga/actions",
                        new JsonObject().put("action", "revoke_remembered_devices"), fixture.admin());
                assertThat(action.status()).as(action.toString()).isEqualTo(200);
                assertThat(startSignIn(browser, "olga").string("state")).isEqualTo("pending");
                device.next(ApprovalRequest.class);
            }
        }
    }

    @Nested
    class Registration {
        @Test
        void aRegistrationSessionRegistersThroughTheCookieAndCanAskForAnotherTest() {
            fixture.flows().createUser(fixture.admin(), "nadia", "enforced");
            CookieBrowser browser = browser();
            CookieBrowser.Answer started = startSignIn(browser, "nadia");
            assertThat(started.string("state")).isEqualTo("registration_required");
            assertThat(started.json().getBoolean("skippable")).isFalse();
            assertThat(browser.cookie("cs_pending")).isEmpty();
            assertThat(new Rows(fixture.service()).session(browser.cookie("cs_session").orElseThrow()).scope())
                    .isEqualTo("registration");
            String csrf = browser.csrfToken();
            CookieBrowser.Answer created = browser.post("/api/v1/enrollments", new JsonObject(), csrf);
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String path = "/api/v1/enrollments/" + created.string("enrollmentId");
            String code = org.countersign.protocol.EnrollmentUri.parse(created.string("uri")).code();
            try (TestDevice device = TestDevice.activate(fixture.api(), code).connect()) {
                ApprovalRequest test = device.next(ApprovalRequest.class);
                assertThat(browser.post(path + "/test", new JsonObject(), csrf).error()).isEqualTo("test_pending");
                String number = browser.get(path).json().getJsonObject("testSignIn").getString("number");
                String wrong = number.equals("42") ? "24" : "42";
                device.send(device.answer(test.signInId(), Decision.APPROVE, wrong));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("denied");
                assertThat(browser.get(path).json().getJsonObject("testSignIn").getString("reason"))
                        .isEqualTo("wrong_number");

                CookieBrowser.Answer again = browser.post(path + "/test", new JsonObject(), csrf);
                assertThat(again.status()).as(again.toString()).isEqualTo(200);
                String second = again.json().getJsonObject("testSignIn").getString("number");
                ApprovalRequest retest = device.next(ApprovalRequest.class);
                assertThat(retest.signInId()).isNotEqualTo(test.signInId());
                device.send(device.answer(retest.signInId(), Decision.APPROVE, second));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
                assertThat(browser.get(path).string("state")).isEqualTo("verified");
                assertThat(browser.post(path + "/test", new JsonObject(), csrf).error()).isEqualTo("not_activated");
            }
        }

        @Test
        void anApprovedRegistrationTestNeverYieldsASession() {
            fixture.flows().createUser(fixture.admin(), "mona", "enforced");
            String registration = fixture.flows().signIn("mona").string("sessionToken");
            Api.Response created = fixture.api().post("/api/v1/enrollments", new JsonObject(), registration);
            String code = org.countersign.protocol.EnrollmentUri.parse(created.string("uri")).code();
            try (TestDevice device = TestDevice.activate(fixture.api(), code).connect()) {
                ApprovalRequest test = device.next(ApprovalRequest.class);
                String number = fixture.api().get("/api/v1/enrollments/" + created.string("enrollmentId"), registration)
                        .json().getJsonObject("testSignIn").getString("number");
                device.send(device.answer(test.signInId(), Decision.APPROVE, number));
                assertThat(device.next(ApprovalResult.class).state()).isEqualTo("approved");
                Api.Response read = fixture.api().get("/api/v1/sign-ins/" + test.signInId());
                assertThat(read.string("state")).isEqualTo("approved");
                assertThat(read.json().containsKey("sessionToken")).isFalse();
            }
        }
    }

    @Nested
    class Pages {
        @Test
        void areServedNoStoreUnderTheCspWithoutInlineScriptsOrStyles() {
            for (String path : new String[] {"/sign-in", "/my/security-info"}) {
                CookieBrowser.Answer page = browser().get(path);
                assertThat(page.status()).isEqualTo(200);
                assertThat(page.header("Content-Type")).contains("text/html; charset=utf-8");
                assertThat(page.header("Cache-Control")).contains("no-store");
                assertThat(page.header("Content-Security-Policy")).contains(StaticPages.PAGE_CSP);
                assertThat(page.header("X-Frame-Options")).contains("DENY");
                assertThat(page.header("Referrer-Policy")).contains("no-referrer");
                assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style")
                        .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=");
            }
        }

        @Test
        void assetsHaveTheirTypesAndAreRevalidatedByEtag() {
            CookieBrowser browser = browser();
            CookieBrowser.Answer script = browser.get("/assets/web.js");
            assertThat(script.header("Content-Type")).contains("text/javascript; charset=utf-8");
            assertThat(script.header("Cache-Control")).contains("no-cache");
            String etag = script.header("ETag").orElseThrow();
            CookieBrowser.Answer again = browser.send(HttpRequest.newBuilder(URI.create(fixture.api().baseUrl()
                    + "/assets/web.js")).header("If-None-Match", etag).GET(), null);
            assertThat(again.status()).isEqualTo(304);
            assertThat(browser.get("/assets/countersign.css").header("Content-Type")).get().asString()
                    .startsWith("text/css");
            assertThat(browser.get("/assets/favicon.svg").header("Content-Type")).get().asString()
                    .startsWith("image/svg+xml");
            assertThat(browser.get("/favicon.ico").status()).isEqualTo(204);
            assertThat(browser.get("/assets/nothing.js").status()).isEqualTo(404);
            assertThat(browser.get("/assets/..%2Fsign-in.html").status()).isEqualTo(404);
        }

        @Test
        void theRootLeadsToTheSignInPage() {
            CookieBrowser.Answer root = browser().send(HttpRequest.newBuilder(URI.create(fixture.api().baseUrl() + "/"))
                    .GET(), null);
            assertThat(root.status()).isEqualTo(302);
            assertThat(root.header("Location")).contains("/sign-in");
        }
    }
}
