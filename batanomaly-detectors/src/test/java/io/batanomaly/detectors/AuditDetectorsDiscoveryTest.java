package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.detectors.silentservice.SilentServiceProvider;
import io.batanomaly.detectors.volumespike.VolumeSpikeProvider;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AuditDetectorsDiscoveryTest {

  @Test
  void serviceLoaderFindsTheFiveAuditDetectorsUnderTheirDocumentedNames() {
    Map<String, DetectorProvider> byName = ServiceLoader.load(DetectorProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .collect(Collectors.toMap(DetectorProvider::name, p -> p));
    assertThat(byName).containsKeys("volume_spike", "error_rate", "brute_force", "mass_delete",
        "silent_service");
    try (AnomalyEngine engine = AnomalyEngine.builder().clock(new ManualClock(Instant.EPOCH))
        .autoTick(false).build()) {
      assertThat(engine.detectorNames()).contains("volume_spike", "error_rate", "brute_force",
          "mass_delete", "silent_service");
      assertThat(engine.detector("brute_force").types()).containsExactly("BRUTE_FORCE");
      assertThat(engine.detector("volume_spike").types()).containsExactly("VOLUME_SPIKE");
      assertThat(engine.detector("error_rate").types()).containsExactly("ERROR_RATE");
      assertThat(engine.detector("mass_delete").types()).containsExactly("MASS_DELETE");
      assertThat(engine.detector("silent_service").types()).containsExactly("SILENT_SERVICE");
    }
  }

  @Test
  void rejectsAnInvalidDetectorSettingNamingTheKeyAndTheValue() {
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_BRUTE_FORCE_MAX_IDENTIFIERS", "-1", "ANOMALY_VOLUME_MIN_RATIO", "lots"));
    assertThatThrownBy(() -> AnomalyEngine.builder().config(config).autoTick(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "ANOMALY_BRUTE_FORCE_MAX_IDENTIFIERS must be a positive whole number, but was '-1'")
        .hasMessageContaining("ANOMALY_VOLUME_MIN_RATIO must be a positive number, but was"
            + " 'lots'");
  }

  @Test
  void rejectsSettingsThatContradictEachOther() {
    AnomalyConfig silent = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_SILENT_SERVICE_MIN_ACTIVE_MINUTES", "70"));
    assertThatThrownBy(() -> AnomalyEngine.builder().config(silent).discoverDetectors(false)
        .detector(new SilentServiceProvider()).autoTick(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_SILENT_SERVICE_MIN_ACTIVE_MINUTES must be at most"
            + " ANOMALY_SILENT_SERVICE_LOOKBACK_MINUTES (60), but was '70'");
    AnomalyConfig volume = AnomalyConfig.fromMap(Map.of("ANOMALY_VOLUME_CURRENT_WINDOW", "200"));
    assertThatThrownBy(() -> AnomalyEngine.builder().config(volume).discoverDetectors(false)
        .detector(new VolumeSpikeProvider()).autoTick(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_VOLUME_CURRENT_WINDOW must be at most half of"
            + " ANOMALY_VOLUME_WINDOW (300), but was '200'");
  }
}
