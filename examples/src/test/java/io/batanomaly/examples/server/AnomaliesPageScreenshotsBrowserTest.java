package io.batanomaly.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.http.DashboardHandler;
import io.batanomaly.examples.demo.DemoScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * Takes the README's screenshots of the Anomalies page after the server stream's three hours:
 * the list of acme-corp and the detail of the documentation's incident once a verification found
 * it over. They are written to {@code examples/target/screenshots/}; {@code docs/images/} holds
 * the copies the README shows.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AnomaliesPageScreenshotsBrowserTest {

  @Test
  void takesTheListAndTheDetail() throws IOException {
    Path out = Path.of("target", "screenshots");
    Files.createDirectories(out);
    try (HeadlessChromium chromium = HeadlessChromium.start(1280, 800);
        ServerFixture server = new ServerFixture(DemoScenario.standard().end(),
            DashboardHandler.builder().pollInterval(Duration.ofSeconds(1)).build())) {
      AnomaliesPage page = new AnomaliesPage(chromium.driver, server.base);
      page.open().signIn("admin-token", "acme-corp, globex")
          .waitForRow(DemoServer.SPEC_ANOMALY_ID);
      // the link under the pointer or focus would be drawn differently: park the focus
      chromium.driver.findElement(By.id("list-title")).click();
      Path list = out.resolve("anomalies-list.png");
      Files.write(list, chromium.fullPageScreenshot());

      page.openWithKeyboard(DemoServer.SPEC_ANOMALY_ID);
      page.element(By.id("action-verify")).click();
      page.waitForStatus("VERIFYING");
      server.verifications.runAll();
      page.waitForStatus("RESOLVED");
      page.until("the outcome", d -> d.findElement(By.id("action-result")).getText()
          .contains("Verification finished"));
      chromium.driver.findElement(By.id("detail-title")).click();
      Path detail = out.resolve("anomaly-detail.png");
      Files.write(detail, chromium.fullPageScreenshot());

      assertThat(Files.size(list)).isGreaterThan(10_000);
      assertThat(Files.size(detail)).isGreaterThan(10_000);
    }
  }
}
