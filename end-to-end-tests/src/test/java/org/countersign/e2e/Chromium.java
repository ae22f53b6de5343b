package org.countersign.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for the page tests (docs/web-sessions.md, "Browser tests"): Debian's
 * {@code /usr/bin/chromium} through {@code /usr/bin/chromedriver} (never a download), a throw-away profile, and
 * numbered screenshots under {@code target/screenshots/}.
 */
final class Chromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(20);

    final ChromeDriver driver;
    private final String baseUrl;
    private final String name;
    private final Path profile;
    private int shots;

    /** Set to {@code true} (CI sets it from COUNTERSIGN_BROWSER_REQUIRED) so that a missing browser fails the run. */
    static final String REQUIRED_PROPERTY = "countersign.browser.required";

    static boolean available() {
        return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
    }

    /**
     * Skips the calling test class when Chromium or its driver is missing, or fails it instead when the system
     * property {@value #REQUIRED_PROPERTY} is {@code true}: in CI a browser test must run, never skip silently.
     */
    static void assumeAvailable() {
        String missing = "the browser tests need Debian's " + BINARY + " and " + DRIVER
                + " (apt-get install -y chromium chromium-driver)";
        if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
            if (!available()) {
                throw new AssertionError(missing + "; " + REQUIRED_PROPERTY + "=true, so they may not be skipped");
            }
            return;
        }
        Assumptions.assumeTrue(available(), "skipped: " + missing);
    }

    Chromium(String baseUrl, String name, int width, int height) {
        this.baseUrl = baseUrl;
        this.name = name;
        try {
            this.profile = Files.createTempDirectory("countersign-chromium-");
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
    }

    void open(String path) {
        driver.get(baseUrl + path);
    }

    WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    WebElement visible(String id) {
        return visible(id, WAIT);
    }

    WebElement visible(String id, Duration wait) {
        return new WebDriverWait(driver, wait).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    void awaitText(String id, String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id(id), text));
    }

    void awaitPath(String path) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlMatches("^[^?#]*" + path + "([?#].*)?$"));
    }

    /** The id of the element that has the keyboard focus. */
    String focused() {
        return driver.switchTo().activeElement().getAttribute("id");
    }

    /** Saves the whole page (grown to its full height for the picture) as target/screenshots/{test}-{nn}-{step}.png. */
    Path shot(String step) {
        shots++;
        Path file = SCREENSHOTS.resolve(String.format("%s-%02d-%s.png", name, shots, step));
        Dimension window = driver.manage().window().getSize();
        long overflow = ((Number) ((JavascriptExecutor) driver).executeScript(
                "return Math.ceil(document.documentElement.scrollHeight - window.innerHeight);")).longValue();
        try {
            if (overflow > 0) {
                driver.manage().window().setSize(new Dimension(window.width, window.height + (int) overflow));
            }
            Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (overflow > 0) {
                driver.manage().window().setSize(window);
            }
        }
        return file;
    }

    /** True when nothing on the page is wider than the window (no sideways scrolling on a phone). */
    boolean fitsTheWidth() {
        Object fits = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth;");
        return Boolean.TRUE.equals(fits);
    }

    /**
     * What the console says that a page must never cause: a Content-Security-Policy violation or an uncaught
     * script error. (Refused API calls such as a wrong code are logged by Chromium too; those are expected.)
     */
    List<String> pageProblems() {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        return entries.stream().map(LogEntry::getMessage)
                .filter(message -> message.contains("Content Security Policy") || message.contains("Uncaught")
                        || message.contains("favicon"))
                .toList();
    }

    Map<String, Object> cookie(String name) {
        var cookie = driver.manage().getCookieNamed(name);
        return cookie == null ? null : Map.of("value", cookie.getValue(), "httpOnly", cookie.isHttpOnly(),
                "sameSite", String.valueOf(cookie.getSameSite()), "path", cookie.getPath());
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temp profile left behind is harmless
            }
        }
    }
}
