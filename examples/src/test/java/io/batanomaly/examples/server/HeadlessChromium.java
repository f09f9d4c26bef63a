package io.batanomaly.examples.server;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The system's headless Chromium, driven through the system's chromedriver: both paths are given
 * to Selenium, so it never looks for or downloads a driver. Under {@code CI=true} a missing
 * Chromium fails the test; elsewhere the test is skipped with a message saying how to install it.
 *
 * <p>Paths: {@code -Dbatanomaly.chromium} (default {@code /usr/bin/chromium}) and
 * {@code -Dbatanomaly.chromedriver} (default {@code /usr/bin/chromedriver}).
 */
final class HeadlessChromium implements AutoCloseable {
  static final String INSTALL = "Browser tests need Chromium and chromedriver; install them with"
      + " 'sudo apt-get install chromium chromium-driver' (Debian/Ubuntu), or point"
      + " -Dbatanomaly.chromium and -Dbatanomaly.chromedriver at them";

  final ChromeDriver driver;
  private final Path profile;

  private HeadlessChromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /**
   * Starts a browser with a fresh profile.
   *
   * @param width the window width in pixels
   * @param height the window height in pixels
   * @return the browser
   */
  static HeadlessChromium start(int width, int height) {
    Path chromium = Path.of(System.getProperty("batanomaly.chromium", "/usr/bin/chromium"));
    Path chromedriver =
        Path.of(System.getProperty("batanomaly.chromedriver", "/usr/bin/chromedriver"));
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(chromium, chromedriver)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    if (!missing.isEmpty()) {
      String message = INSTALL + " (not found: " + String.join(", ", missing) + ")";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true, so the browser tests must run. " + message);
      }
      Assumptions.abort(message);
    }
    Path profile;
    try {
      profile = Files.createTempDirectory("batanomaly-chromium-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "--lang=en-US");
    options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL",
        LogType.PERFORMANCE, "ALL"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogOutput(java.io.OutputStream.nullOutputStream())
        .build();
    return new HeadlessChromium(new ChromeDriver(service, options), profile);
  }

  /** @return the browser console's messages since the last call */
  List<LogEntry> consoleMessages() {
    return driver.manage().logs().get(LogType.BROWSER).getAll();
  }

  /** @return the DevTools network events since the last call, as JSON text */
  List<String> networkEvents() {
    return driver.manage().logs().get(LogType.PERFORMANCE).getAll().stream()
        .map(LogEntry::getMessage).toList();
  }

  /** @return a PNG of the whole page, also what lies below the window */
  byte[] fullPageScreenshot() {
    Number height = (Number) driver.executeScript(
        "return document.documentElement.scrollHeight;");
    Number width = (Number) driver.executeScript(
        "return window.innerWidth;");
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
        "format", "png", "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException e) {
        // a leftover temporary profile is harmless
      }
    }
  }
}
