package io.batanomaly.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.Anomaly;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DemoTest {
  private static final List<String> EIGHT_TYPES = List.of("VOLUME_SPIKE", "ERROR_RATE",
      "BRUTE_FORCE", "MASS_DELETE", "SILENT_SERVICE", "HIGH_FAILURE_RATE", "ZOMBIE_VERSION",
      "PERFORMANCE_DEGRADATION");

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void defaultScenarioDetectsEveryOneOfTheEightInjectedIncidentsAndNothingElse() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    DemoReport report;
    try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      report = Demo.run(new Demo.Options("synthetic", null, DemoScenario.SEED, true), out);
    }
    String output = buffer.toString(StandardCharsets.UTF_8);

    assertThat(report.source().incidents()).extracting(Incident::type)
        .containsExactlyInAnyOrderElementsOf(EIGHT_TYPES);
    assertThat(report.stats().rejected()).isZero();
    assertThat(report.stats().events()).isGreaterThan(400_000);
    assertThat(report.types()).containsAll(EIGHT_TYPES);
    assertThat(report.anomalies()).extracting(Anomaly::type).containsAll(EIGHT_TYPES);
    assertThat(report.missedIncidents()).isEmpty();
    for (Incident incident : report.source().incidents()) {
      assertThat(report.anomalies()).as("anomalies matching %s", incident)
          .anySatisfy(a -> assertThat(incident.matches(a)).isTrue());
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
        .contains("events accepted " + String.format(Locale.ROOT, "%,d", report.stats().events()));
  }

  private static DemoReport quietRun(String replay) {
    try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true,
        StandardCharsets.UTF_8)) {
      return Demo.run(new Demo.Options(replay, null, DemoScenario.SEED, true), out);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void authLogReplayFindsTheClientWithTheMostFailedLoginsAsABruteForce() {
    DemoReport report = quietRun("auth-log");

    // 24.151.103.17 has 157 "Failed password" lines, the most of any client in the log
    assertThat(report.anomalies()).anySatisfy(a -> {
      assertThat(a.type()).isEqualTo("BRUTE_FORCE");
      assertThat(a.subject()).isEqualTo("24.151.103.17");
    });
    assertThat(report.stats().rejected()).isZero();
    // what the README says the log shows at default settings
    assertThat(report.anomalies()).filteredOn(a -> a.type().equals("BRUTE_FORCE")).hasSize(9);
    assertThat(report.anomalies()).filteredOn(a -> a.type().equals("ERROR_RATE"))
        .extracting(Anomaly::subject).containsExactly("sshd");
    assertThat(report.anomalies()).filteredOn(a -> a.type().equals("SILENT_SERVICE"))
        .hasSize(16).extracting(Anomaly::subject).allMatch(s -> s.equals("sshd")
            || s.equals("sudo"));
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void nabReplayReportsADegradationInsideALabelledWindow() {
    DemoReport report = quietRun("nab");

    assertThat(report.anomalies())
        .filteredOn(a -> a.type().equals("PERFORMANCE_DEGRADATION"))
        .anySatisfy(a -> assertThat(report.source().labelledWindows())
            .anySatisfy(w -> assertThat(w.contains(a.detectedAt())).isTrue()));
    assertThat(report.stats().rejected()).isZero();
    // one degradation, in the second labelled window, and one silence at the missing hour
    assertThat(report.anomalies()).filteredOn(a -> a.type().equals("PERFORMANCE_DEGRADATION"))
        .singleElement().satisfies(a -> {
          assertThat(report.source().labelledWindows().get(1).contains(a.detectedAt())).isTrue();
          assertThat(a.detectedAt()).isBetween(Instant.parse("2014-03-18T22:45:00Z"),
              Instant.parse("2014-03-18T22:46:00Z"));
        });
    assertThat(report.anomalies()).filteredOn(a -> a.type().equals("SILENT_SERVICE"))
        .singleElement().satisfies(a -> assertThat(a.detectedAt())
            .isBetween(Instant.parse("2014-03-09T00:00:00Z"),
                Instant.parse("2014-03-10T00:00:00Z")));
    assertThat(report.anomalies()).extracting(Anomaly::type)
        .containsOnly("PERFORMANCE_DEGRADATION", "SILENT_SERVICE");
  }
}
