package io.batanomaly.examples.server;

import static io.batanomaly.examples.server.ServerFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.http.DashboardHandler;
import io.batanomaly.examples.demo.DemoScenario;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

/**
 * The Anomalies page in headless Chromium against the example server, fed with the server stream
 * up to 09:15 (the documentation's incident, anom-xyz789, is open and still failing). The page
 * polls every 200 ms; verification jobs wait in a queue until the test runs them, and the engine
 * runs on the simulated clock, so every step waits for what the page shows, never for a time.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AnomaliesPageBrowserTest {
  private static final String INCIDENT = DemoServer.SPEC_ANOMALY_ID;

  private ServerFixture server;
  private HeadlessChromium chromium;
  private AnomaliesPage page;

  @BeforeEach
  void start() throws IOException {
    chromium = HeadlessChromium.start(1280, 900);
    server = new ServerFixture(DemoScenario.START.plus(Duration.ofMinutes(75)),
        DashboardHandler.builder().pollInterval(Duration.ofMillis(200)).build());
    page = new AnomaliesPage(chromium.driver, server.base);
  }

  @AfterEach
  void stop() {
    try {
      if (chromium != null) {
        assertThat(violations()).as("Content-Security-Policy violations and script errors")
            .isEmpty();
      }
    } finally {
      if (chromium != null) {
        chromium.close();
      }
      if (server != null) {
        server.close();
      }
    }
  }

  private List<String> violations() {
    List<String> bad = new ArrayList<>();
    for (LogEntry e : chromium.consoleMessages()) {
      String m = e.getMessage();
      // failed API calls (403, 409, …) are logged by Chromium as resource errors: expected
      boolean apiAnswer = m.contains("/api/v1/audit/anomalies") && m.contains("status of 4");
      if (!apiAnswer && (m.contains("Content Security Policy") || m.contains("Uncaught")
          || e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())) {
        bad.add(m);
      }
    }
    return bad;
  }

  private JsonNode apiDetail(String id) {
    return server.detail(id);
  }

  @Test
  void signsInFiltersOpensTheIncidentVerifiesItAndResolvesItWithANote() {
    page.open().signIn("admin-token", "acme-corp, globex");
    page.waitForRow(INCIDENT);
    assertThat(page.rowIds()).hasSizeGreaterThan(1);
    assertThat(new Select(page.element(By.id("filter-type"))).getOptions())
        .extracting(o -> o.getAttribute("value"))
        .containsExactly("", "HIGH_FAILURE_RATE", "ZOMBIE_VERSION", "PERFORMANCE_DEGRADATION",
            "VOLUME_SPIKE", "ERROR_RATE", "BRUTE_FORCE", "MASS_DELETE", "SILENT_SERVICE");

    page.filterByType("HIGH_FAILURE_RATE");
    page.until("only HIGH_FAILURE_RATE rows", d -> page.rowTypes().stream()
        .allMatch("High failure rate"::equals) && page.rowIds().contains(INCIDENT));

    page.openWithKeyboard(INCIDENT);
    assertThat(page.focusedId()).as("focus moves to the detail's heading")
        .isEqualTo("detail-title");
    assertThat(page.text(By.id("detail-title")))
        .isEqualTo("High failure rate: payments/authorize @ v7");
    assertThat(page.status()).isEqualTo("OPEN");
    assertThat(page.text(By.id("metrics-table"))).contains("Failure rate").contains("failureRate")
        .contains("Sample size");
    assertThat(page.element(By.id("recommended-list")).findElements(By.tagName("li")))
        .isNotEmpty();
    page.markDocument();

    page.element(By.id("action-verify")).click();
    page.waitForStatus("VERIFYING");
    assertThat(page.text(By.id("action-result"))).contains("Verifying");
    assertThat(server.verifications.runAll()).isEqualTo(1);
    page.waitForStatus("OPEN");
    page.until("the verification outcome", d -> d.findElement(By.id("action-result")).getText()
        .contains("Verification finished: the anomaly is OPEN"));

    String note = "Rolled back to v6; failure rate back to its 2% baseline.";
    page.type(By.id("note"), note);
    page.element(By.id("action-resolve")).click();
    page.waitForStatus("RESOLVED");
    page.until("the note in the history", d -> d.findElement(By.cssSelector(
        "#history-list li:last-child")).getText().contains(note));
    assertThat(page.text(By.cssSelector("#history-list li:last-child"))).contains("by Person");
    assertThat(page.displayed(By.id("action-reopen"))).isTrue();
    assertThat(page.sameDocument()).as("no reload").isTrue();

    JsonNode detail = apiDetail(INCIDENT);
    assertThat(detail.get("status").asText()).isEqualTo("RESOLVED");
    JsonNode last = detail.get("history").get(detail.get("history").size() - 1);
    assertThat(last.get("note").asText()).isEqualTo(note);
  }

  @Test
  void aViewerWithoutAdminSeesTheForbiddenMessageNotAnEmptyList() {
    HttpResponse<String> forbidden =
        server.get("/api/v1/audit/anomalies?days=7&page=0&size=20", "viewer-token", "acme-corp");
    assertThat(forbidden.statusCode()).isEqualTo(403);
    String message = json(forbidden).get("message").asText();

    page.open().signIn("viewer-token", "acme-corp");
    page.until("the 403 message", d -> d.findElement(By.id("list-error")).isDisplayed());
    assertThat(page.text(By.cssSelector("#list-error .api-message"))).isEqualTo(message);
    assertThat(page.text(By.cssSelector("#list-error .notice-title"))).isEqualTo("403 Forbidden");
    assertThat(page.element(By.id("list-error")).getAttribute("role")).isEqualTo("alert");
    assertThat(page.element(By.id("list-body")).isDisplayed()).isFalse();
    assertThat(page.element(By.id("list-empty")).isDisplayed()).isFalse();
  }

  @Test
  void aDoubleClickAppliesTheChangeOnceWithOneIdempotencyKey() {
    page.open().signIn("admin-token", "acme-corp").openWithKeyboard(INCIDENT);
    page.type(By.id("note"), "Known dependency outage.");
    chromium.networkEvents(); // forget the requests so far

    new Actions(chromium.driver).doubleClick(page.element(By.id("action-dismiss"))).perform();
    page.waitForStatus("DISMISSED");

    long dismissals = 0;
    for (JsonNode h : apiDetail(INCIDENT).get("history")) {
      if ("DISMISSED".equals(h.path("to").asText())) {
        dismissals++;
      }
    }
    assertThat(dismissals).as("status changes to DISMISSED in the history").isEqualTo(1);
    List<String> keys = idempotencyKeysOfPatches();
    assertThat(keys).hasSize(1);
    assertThat(keys.get(0)).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
        + "[0-9a-f]{12}");
  }

  /** The Idempotency-Key header of each PATCH the browser sent, from the DevTools log. */
  private List<String> idempotencyKeysOfPatches() {
    List<String> keys = new ArrayList<>();
    for (String raw : chromium.networkEvents()) {
      JsonNode m;
      try {
        m = ServerFixture.JSON.readTree(raw).path("message");
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + raw, e);
      }
      JsonNode request = m.path("params").path("request");
      if ("Network.requestWillBeSent".equals(m.path("method").asText())
          && "PATCH".equals(request.path("method").asText())) {
        JsonNode headers = request.path("headers");
        keys.add(headers.path("Idempotency-Key").asText(headers.path("idempotency-key")
            .asText("")));
      }
    }
    return keys;
  }

  @Test
  void aConflictIsShownWithTheApiMessage() {
    page.open().signIn("admin-token", "acme-corp").openWithKeyboard(INCIDENT);
    assertThat(page.status()).isEqualTo("OPEN");
    // someone else resolves it while the page still shows it OPEN
    assertThat(server.patch(INCIDENT, "{\"status\":\"RESOLVED\"}", null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> conflict = server.patch(INCIDENT, "{\"status\":\"DISMISSED\"}", null);
    assertThat(conflict.statusCode()).isEqualTo(409);
    String message = json(conflict).get("message").asText();

    page.element(By.id("action-dismiss")).click();
    page.until("the 409 message", d -> d.findElement(By.id("action-error")).isDisplayed());
    assertThat(page.text(By.cssSelector("#action-error .api-message"))).isEqualTo(message);
    assertThat(page.text(By.cssSelector("#action-error .notice-title")))
        .isEqualTo("Dismiss failed · 409 Conflict");
    page.waitForStatus("RESOLVED");
    assertThat(page.displayed(By.id("action-reopen"))).isTrue();
    assertThat(page.text(By.id("action-error"))).as("the message stays after the refresh")
        .contains(message);
  }

  @Test
  void aNewAnomalyAppearsWithoutAReload() {
    page.open().signIn("admin-token", "acme-corp").waitForRow(INCIDENT);
    List<String> before = page.rowIds();
    page.markDocument();

    Instant now = server.clock.instant();
    List<AuditEvent> failures = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      failures.add(AuditEvent.builder().tenant("acme-corp").service("auth").timestamp(now)
          .method("POST").status(401).identifier("198.51.100.23").build());
    }
    assertThat(server.engine.ingest(failures).rejected()).isEmpty();
    AnomalySummary bruteForce = server.engine.anomalies().list("acme-corp",
        AnomalyQuery.defaults().withType("BRUTE_FORCE")).content().get(0);
    assertThat(before).doesNotContain(bruteForce.id());

    page.waitForRow(bruteForce.id());
    assertThat(page.rowIds().get(0)).as("newest first").isEqualTo(bruteForce.id());
    assertThat(page.element(By.cssSelector("#anomaly-rows tr[data-id='" + bruteForce.id()
        + "'] .new-tag")).getAttribute("textContent")).isEqualTo("New");
    page.until("the announcement", d -> d.findElement(By.id("announcer")).getAttribute(
        "textContent").equals("1 new anomaly."));
    assertThat(page.sameDocument()).as("no reload").isTrue();
  }

  @Test
  void aRejectedTokenSignsOutWithTheApiMessageAndALinkSurvivesTheSignIn() {
    String message = json(server.get("/api/v1/audit/anomalies", "stolen-token", "acme-corp"))
        .get("message").asText();
    chromium.driver.get(server.base + "/dashboard/anomalies?tenant=acme-corp&id=" + INCIDENT);
    page.signIn("stolen-token", "acme-corp");
    page.until("the 401 message on the sign-in form",
        d -> d.findElement(By.id("sign-in-view")).isDisplayed()
            && d.findElement(By.id("sign-in-error")).isDisplayed());
    assertThat(page.text(By.cssSelector("#sign-in-error .api-message"))).isEqualTo(message);
    assertThat(page.text(By.cssSelector("#sign-in-error .notice-title")))
        .isEqualTo("Signed out · 401 Unauthorized");
    assertThat(page.focusedId()).isEqualTo("token");
    assertThat((Object) chromium.driver.executeScript(
        "return sessionStorage.getItem('batanomaly.token');")).isNull();

    page.signIn("admin-token", "acme-corp").waitForDetail(INCIDENT);
    assertThat((Object) chromium.driver.executeScript(
        "return sessionStorage.getItem('batanomaly.token');")).isEqualTo("admin-token");
  }

  @Test
  void theTenantSwitcherShowsTheOtherTenantsAnomalies() {
    page.open().signIn("admin-token", "acme-corp, globex").waitForRow(INCIDENT);
    assertThat(new Select(page.element(By.id("tenant-select"))).getOptions())
        .extracting(o -> o.getText()).containsExactly("acme-corp", "globex");

    new Select(page.element(By.id("tenant-select"))).selectByValue("globex");
    page.until("globex's list", d -> d.findElement(By.id("list-meta")).getText()
        .contains("for globex") && !page.rowIds().contains(INCIDENT)
        && page.rowTypes().contains("Volume spike"));
    assertThat(chromium.driver.getCurrentUrl()).contains("tenant=globex");

    // from the keyboard: open the first anomaly, go back, and land on its link again
    String first = page.rowIds().get(0);
    page.openWithKeyboard(first);
    page.element(By.id("back-link")).sendKeys(org.openqa.selenium.Keys.ENTER);
    page.until("focus back on the link of " + first, d -> first.equals(
        d.switchTo().activeElement().getAttribute("data-id")));
  }
}
