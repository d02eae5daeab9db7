package org.wishengine.wish.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser of the page tests: Debian's headless Chromium driven through its chromedriver
 * (explicit paths, so Selenium Manager never runs and nothing is downloaded), and the waits and
 * look-ups the wall and organiser page tests share.
 */
final class BrowserFixture {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";

    private BrowserFixture() {
    }

    /** A headless Chromium of width × height CSS pixels (a phone's viewport below 500), its profile under dir. */
    static ChromeDriver browser(Path dir, String name, int width, int height) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        Path profile = Files.createDirectories(dir.resolve("chrome-" + name));
        Path downloads = Files.createDirectories(dir.resolve("downloads-" + name));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "--lang=en-US");
        // Console messages are kept for consoleErrors().
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(WAIT);
        if (width < 500) {
            // Headless windows are at least 500 px wide; emulate the phone's viewport instead.
            driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                    "width", width, "height", height, "deviceScaleFactor", 1, "mobile", true));
        }
        return driver;
    }

    static void quit(WebDriver driver) {
        if (driver != null) {
            driver.quit();
        }
    }

    /** A wait of up to {@link #WAIT} that looks again when an element it holds was re-rendered. */
    static WebDriverWait waitFor(WebDriver driver) {
        // Rows are re-rendered when a claim changes status: an element found a moment ago may be gone.
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Waits until the page has loaded its data (both pages set body[data-ready]). */
    static void waitReady(WebDriver driver) {
        waitFor(driver).until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    }

    /** The wall's card of a wish, once it is there. */
    static WebElement card(WebDriver driver, String wishId) {
        return waitFor(driver).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("article.wish[data-wish-id='" + wishId + "']")));
    }

    static Object js(WebDriver driver, String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The browser console's errors so far (a failed request is logged as one). */
    static String consoleErrors(ChromeDriver driver) {
        StringBuilder errors = new StringBuilder();
        driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).forEach(entry -> {
            if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                errors.append(entry.getMessage()).append('\n');
            }
        });
        return errors.toString();
    }

    /** Screenshots are build artifacts: engine/target/screenshots/. */
    static void saveScreenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
    }
}
