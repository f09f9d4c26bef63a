package io.batanomaly.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.Anomaly;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DemoTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void defaultScenarioDetectsEveryInjectedIncidentOfTheRunningDetectors() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DemoReport report;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      report = Demo.run(new Demo.Options("synthetic", null, DemoScenario.SEED, true), out);
    }
    String output = buffer.toString(StandardCharsets.UTF_8);

    assertThat(report.source().incidents()).extracting(Incident::type).containsExactlyInAnyOrder(
        "BRUTE_FORCE", "ZOMBIE_VERSION", "VOLUME_SPIKE", "ERROR_RATE", "MASS_DELETE",
        "SILENT_SERVICE", "HIGH_FAILURE_RATE", "PERFORMANCE_DEGRADATION");
    assertThat(report.stats().rejected()).isZero();
    assertThat(report.stats().events()).isGreaterThan(400_000);
    for (Incident incident : report.source().incidents()) {
      if (report.types().contains(incident.type())) {
        assertThat(report.anomalies()).as("anomalies matching %s", incident)
            .anySatisfy(a -> assertThat(incident.matches(a)).isTrue());
      }
    }
    // realistic background traffic raises nothing of its own
    assertThat(report.unexplainedAnomalies()).isEmpty();
    // every anomaly is detected after its incident started
    for (Anomaly a : report.anomalies()) {
      report.source().incidents().stream().filter(i -> i.matches(a)).forEach(i ->
          assertThat(a.detectedAt()).as("%s detected at", a.type()).isAfterOrEqualTo(i.start()));
    }
    assertThat(output).contains("Anomalies found (" + report.anomalies().size() + ")")
        .contains("Engine health at 2026-03-02 11:00:00 UTC")
        .contains("events accepted " + String.format("%,d", report.stats().events()));
  }
}
