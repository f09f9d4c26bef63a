package io.batanomaly.examples.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The jar's META-INF/services entry is all a host needs: no code names the detector. */
class NotFoundScanDiscoveryTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void aDefaultEngineFindsTheDetectorOnTheClassPath() {
    try (AnomalyEngine engine = AnomalyEngine.builder().autoTick(false).build()) {
      assertThat(engine.detectorNames()).contains(NotFoundScanProvider.NAME);
      assertThat(engine.detector(NotFoundScanProvider.NAME).types())
          .containsExactly(NotFoundScanProvider.TYPE);
    }
  }

  @Test
  void readsItsOwnSettingsFromTheEnvironmentStyleMap() {
    ManualClock clock = new ManualClock(T0);
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_NOT_FOUND_SCAN_THRESHOLD", "5", "ANOMALY_NOT_FOUND_SCAN_WINDOW", "10"));
    try (AnomalyEngine engine = AnomalyEngine.builder().config(config).clock(clock)
        .autoTick(false).build()) {
      List<AuditEvent> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        batch.add(AuditEvent.builder().tenant("acme").service("web").timestamp(T0.plusSeconds(i))
            .status(404).identifier("198.51.100.23").build());
      }
      clock.set(T0.plusSeconds(5));
      engine.ingest(batch);

      List<Anomaly> found = engine.anomalies().list("acme", AnomalyQuery.defaults()).content()
          .stream().map(s -> engine.anomalies().get("acme", s.id())).toList();
      assertThat(found).singleElement().satisfies(a -> {
        assertThat(a.type()).isEqualTo("NOT_FOUND_SCAN");
        assertThat(a.subject()).isEqualTo("198.51.100.23");
        assertThat(a.metrics()).containsEntry("threshold", 5).containsEntry("windowSeconds", 10L);
      });
    }
  }

  @Test
  void staysQuietBelowAConfiguredThreshold() {
    ManualClock clock = new ManualClock(T0);
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of("ANOMALY_NOT_FOUND_SCAN_THRESHOLD", "6"));
    try (AnomalyEngine engine = AnomalyEngine.builder().config(config).clock(clock)
        .autoTick(false).build()) {
      List<AuditEvent> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        batch.add(AuditEvent.builder().tenant("acme").service("web").timestamp(T0.plusSeconds(i))
            .status(404).identifier("198.51.100.23").build());
      }
      clock.set(T0.plusSeconds(5));
      engine.ingest(batch);

      assertThat(engine.anomalies().list("acme", AnomalyQuery.defaults()).content())
          .filteredOn(s -> s.type().equals("NOT_FOUND_SCAN")).isEmpty();

      // the sixth 404 reaches the configured threshold, well below the default of 30
      clock.set(T0.plusSeconds(6));
      engine.ingest(List.of(AuditEvent.builder().tenant("acme").service("web")
          .timestamp(T0.plusSeconds(5)).status(404).identifier("198.51.100.23").build()));
      assertThat(engine.anomalies().list("acme", AnomalyQuery.defaults()).content())
          .filteredOn(s -> s.type().equals("NOT_FOUND_SCAN")).singleElement()
          .satisfies(s -> assertThat(s.subject()).isEqualTo("198.51.100.23"));
    }
  }

  @Test
  void canBeSwitchedOffByName() {
    AnomalyConfig config = AnomalyConfig.fromMap(
        Map.of("ANOMALY_DISABLED_DETECTORS", NotFoundScanProvider.NAME));
    try (AnomalyEngine engine = AnomalyEngine.builder().config(config).autoTick(false).build()) {
      assertThat(engine.detectorNames()).doesNotContain(NotFoundScanProvider.NAME);
    }
  }

  @Test
  void anInvalidSettingFailsTheEngineBuildNamingKeyAndValue() {
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of("ANOMALY_NOT_FOUND_SCAN_WINDOW", "-5"));
    assertThatThrownBy(() -> AnomalyEngine.builder().config(config).autoTick(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "ANOMALY_NOT_FOUND_SCAN_WINDOW must be a positive number of seconds, but was '-5'");
  }
}
