package org.countersign.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.countersign.authenticator.vault.PushAccount;
import org.countersign.authenticator.vault.VaultFile;
import org.countersign.protocol.EnrollmentUri;
import org.countersign.push.testing.Api;
import org.countersign.push.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole story against the service jar as a process (admin sign-in, a user, enrollment, app activation, push
 * approval, TOTP fallback with a remembered device, an app password, a legacy sign-in, and the sign-in page driven
 * as a browser drives it, with its cookies and CSRF token), then every line the service printed and every line the
 * app printed is searched for every secret the run made. A leak fails the test and names the secret.
 */
class LogSecretScanTest {
    private static final String USER_PASSWORD = "lena's long password 2026";

    @TempDir
    Path temp;

    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final List<String> numbers = new ArrayList<>();
    private final List<String> codes = new ArrayList<>();
    private final StringBuilder appOutput = new StringBuilder();

    @Test
    void noSecretOfAWholeStoryAppearsInTheLogsOfTheServiceOrTheApp() throws Exception {
        List<String> serviceLog = new CopyOnWriteArrayList<>();
        int port = ServiceProcess.freePort();
        Path dataDir = Files.createDirectory(temp.resolve("data"));
        Api api = new Api("http://127.0.0.1:" + port);
        try (ServiceProcess service = ServiceProcess.start(TestPostgres.freshDatabase(), dataDir, port, serviceLog)) {
            story(api);
        }
        String logs = String.join("\n", serviceLog) + "\n" + appOutput;
        List<String> leaks = new ArrayList<>();
        secrets.forEach((name, value) -> {
            for (String form : forms(value)) {
                if (logs.contains(form)) {
                    leaks.add(name + " (" + abbreviate(form) + ")");
                }
            }
        });
        for (String number : numbers) {
            if (Pattern.compile("(?i)\"number\"\\s*:\\s*\"?" + number + "\\b|number\\D{0,20}\\b" + number + "\\b")
                    .matcher(logs).find()) {
                leaks.add("sign-in number " + number);
            }
        }
        for (String code : codes) {
            if (Pattern.compile("(?i)code\\D{0,20}\\b" + code + "\\b").matcher(logs).find()) {
                leaks.add("TOTP code " + code);
            }
        }
        System.out.printf("LogSecretScanTest: %d service log lines and %d app output lines searched for %d secrets,"
                + " %d sign-in numbers and %d TOTP codes; leaks: %s%n", serviceLog.size(),
                appOutput.toString().lines().count(), secrets.size(), numbers.size(), codes.size(), leaks);
        assertThat(leaks).as("secrets found in the logs").isEmpty();
    }

    private void story(Api api) throws Exception {
        secrets.put("admin password", ServiceProcess.ADMIN_PASSWORD);
        secrets.put("user password", USER_PASSWORD);
        secrets.put("vault passphrase", AppRunner.PASSPHRASE);
        Api.Response adminSignIn = api.post("/api/v1/sign-ins", new JsonObject().put("username", "admin")
                .put("password", ServiceProcess.ADMIN_PASSWORD).put("app", "Admin"));
        String admin = secret("admin session token", adminSignIn.string("sessionToken"));
        assertThat(send(api, "PUT", "/api/v1/admin/settings", admin, new JsonObject().put("securityDefaults", false)
                .put("appPasswordsAllowed", true))).isEqualTo(200);
        assertThat(api.post("/api/v1/admin/users", new JsonObject().put("username", "lena")
                .put("password", USER_PASSWORD).put("mfaState", "enforced"), admin).status()).isEqualTo(201);

        String registration = secret("registration session token", signIn(api).string("sessionToken"));
        Api.Response enrollment = api.post("/api/v1/enrollments", new JsonObject(), registration);
        secret("activation code", EnrollmentUri.parse(enrollment.string("uri")).code());
        Path qr = temp.resolve("enroll.png");
        String dataUrl = enrollment.string("qrPngUrl");
        Files.write(qr, Base64.getDecoder().decode(dataUrl.substring(dataUrl.indexOf(',') + 1)));
        AppRunner app = new AppRunner(temp.resolve("vault.cs"), Clock.systemUTC());
        record(app.run("init"));
        record(app.run("scan", qr.toString(), "--yes"));
        String testNumber = api.get("/api/v1/enrollments/" + enrollment.string("enrollmentId"), registration).json()
                .getJsonObject("testSignIn").getString("number");
        numbers.add(testNumber);
        record(app.runWithInput(testNumber + "\n", "listen", "--once"));

        PushAccount account = (PushAccount) new VaultFile(temp.resolve("vault.cs"))
                .read(AppRunner.PASSPHRASE.toCharArray()).accounts().get(0);
        secret("TOTP secret", account.totpSecret().base32());
        byte[] privateKey = account.signer().privateKeyBytes();
        secret("device private key (base64url)", Base64.getUrlEncoder().withoutPadding().encodeToString(privateKey));
        secret("device private key (base64)", Base64.getEncoder().encodeToString(privateKey));
        secret("device private key (hex)", HexFormat.of().formatHex(privateKey));

        Api.Response push = signIn(api);
        numbers.add(push.string("number"));
        record(app.runWithInput(push.string("number") + "\n", "listen", "--once"));
        Api.Response approved = api.get("/api/v1/sign-ins/" + push.string("signInId") + "?waitSeconds=10");
        assertThat(approved.string("state")).as(approved.toString()).isEqualTo("approved");
        String session = secret("session token", approved.string("sessionToken"));

        AppRunner.Run code = app.run("code", "lena"); // its output is the code, by design: not scanned
        String totpCode = code.out().lines().findFirst().orElseThrow().trim();
        codes.add(totpCode);
        Api.Response fallback = signIn(api);
        Api.Response totp = api.post("/api/v1/sign-ins/" + fallback.string("signInId") + "/totp",
                new JsonObject().put("code", totpCode).put("rememberDevice", true));
        assertThat(totp.string("state")).as(totp.toString()).isEqualTo("approved");
        secret("TOTP session token", totp.string("sessionToken"));
        String remember = secret("remember token", totp.string("rememberToken"));
        Api.Response remembered = api.post("/api/v1/sign-ins", new JsonObject().put("username", "lena")
                .put("password", USER_PASSWORD).put("app", "Mail").put("rememberToken", remember));
        secret("remembered session token", remembered.string("sessionToken"));

        Api.Response appPassword = api.post("/api/v1/me/app-passwords", new JsonObject().put("name", "mail"),
                session);
        assertThat(appPassword.status()).as(appPassword.toString()).isEqualTo(201);
        String password = secret("app password", appPassword.string("password"));
        HttpResponse<String> legacy = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/api/v1/legacy/sign-in"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("lena:" + password)
                        .getBytes(StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(200);
        pageStory(api, app);
    }

    /**
     * The sign-in page as a browser drives it, over HTTP with a cookie jar: {@code /web/sign-in} with "don't ask
     * again", the number approved in the app, the session's CSRF token, cookie calls refused without it and made
     * with it, sign-out, and a remembered sign-in. Every cookie value and the token are secrets; the number too.
     */
    private void pageStory(Api api, AppRunner app) {
        CookieManager jar = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
        HttpClient browser = HttpClient.newBuilder().cookieHandler(jar).build();
        JsonObject credentials = new JsonObject().put("username", "lena").put("password", USER_PASSWORD)
                .put("rememberDevice", true);
        Page started = page(browser, api, "POST", "/web/sign-in", credentials, null);
        assertThat(started.json().getString("state")).as(started.toString()).isEqualTo("pending");
        secret("cs_pending cookie", cookie(jar, "cs_pending"));
        String number = started.json().getString("number");
        numbers.add(number);
        record(app.runWithInput(number + "\n", "listen", "--once"));
        Page approved = page(browser, api, "GET", "/web/sign-in/status?waitSeconds=10", null, null);
        assertThat(approved.json().getString("state")).as(approved.toString()).isEqualTo("approved");
        secret("cs_session cookie", cookie(jar, "cs_session"));
        secret("cs_remember cookie", cookie(jar, "cs_remember"));
        String csrf = secret("CSRF token", page(browser, api, "GET", "/web/session", null, null).json()
                .getString("csrfToken"));

        JsonObject name = new JsonObject().put("name", "page");
        Page refused = page(browser, api, "POST", "/api/v1/me/app-passwords", name, null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        Page created = page(browser, api, "POST", "/api/v1/me/app-passwords", name, csrf);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        secret("app password made on the page", created.json().getString("password"));
        assertThat(page(browser, api, "POST", "/web/sign-out", new JsonObject(), csrf).status()).isEqualTo(200);

        Page remembered = page(browser, api, "POST", "/web/sign-in", credentials, null);
        assertThat(remembered.json().getString("state")).as(remembered.toString()).isEqualTo("approved");
        secret("remembered cs_session cookie", cookie(jar, "cs_session"));
    }

    private record Page(int status, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** A call as the page scripts make it: JSON, this browser's cookies, the CSRF token when given. */
    private static Page page(HttpClient browser, Api api, String method, String path, JsonObject body,
                             String csrf) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .timeout(java.time.Duration.ofSeconds(30));
        request = body == null ? request.GET() : request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        try {
            HttpResponse<String> answer = browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Page(answer.statusCode(), answer.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String cookie(CookieManager jar, String name) {
        return jar.getCookieStore().getCookies().stream().filter(cookie -> cookie.getName().equals(name))
                .map(HttpCookie::getValue).filter(value -> !value.isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie"));
    }

    private Api.Response signIn(Api api) {
        return api.post("/api/v1/sign-ins", new JsonObject().put("username", "lena").put("password", USER_PASSWORD)
                .put("app", "Payroll").put("ip", "203.0.113.9"));
    }

    private String secret(String name, String value) {
        assertThat(value).as(name).isNotBlank();
        secrets.put(name, value);
        return value;
    }

    private void record(AppRunner.Run run) {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        appOutput.append(run.out()).append(run.err());
    }

    /** The value as written, and as a log might print it (lower case, base32 without padding). */
    private static List<String> forms(String value) {
        List<String> forms = new ArrayList<>(List.of(value, value.toLowerCase(Locale.ROOT)));
        if (value.endsWith("=")) {
            forms.add(value.replaceAll("=+$", ""));
        }
        return forms;
    }

    private static int send(Api api, String method, String path, String token, JsonObject body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static String abbreviate(String text) {
        return text.length() > 6 ? text.substring(0, 3) + "…" : "…";
    }
}
