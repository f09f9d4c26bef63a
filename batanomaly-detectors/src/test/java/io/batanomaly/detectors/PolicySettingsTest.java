package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.detectors.highfailurerate.HighFailureRateSettings;
import io.batanomaly.detectors.internal.PolicySettings;
import io.batanomaly.detectors.performancedegradation.PerformanceDegradationSettings;
import io.batanomaly.detectors.zombieversion.ZombieVersionSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PolicySettingsTest {

  @Test
  void theThreeDetectorsAreFoundByServiceLoader() {
    try (AnomalyEngine engine = AnomalyEngine.builder().autoTick(false).build()) {
      assertThat(engine.detectorNames()).contains("high_failure_rate", "zombie_version",
          "performance_degradation");
    }
  }

  @Test
  void settingsAreReadFromAnomalyVariables() {
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_FAILURE_RATE_THRESHOLD", "25",
        "ANOMALY_ZOMBIE_GRACE", "45",
        "ANOMALY_PERFORMANCE_RATIO", "2.5",
        "ANOMALY_PERFORMANCE_STATISTIC", "P95",
        "ANOMALY_POLICY_MAX_VERSIONS", "50"));
    assertThat(config.get(HighFailureRateSettings.THRESHOLD)).isEqualTo(25.0);
    assertThat(config.get(ZombieVersionSettings.GRACE)).isEqualTo(Duration.ofMinutes(45));
    assertThat(config.get(PerformanceDegradationSettings.RATIO)).isEqualTo(2.5);
    assertThat(config.get(PerformanceDegradationSettings.STATISTIC)).isEqualTo("p95");
    assertThat(AnomalyConfig.defaults().get(PerformanceDegradationSettings.STATISTIC))
        .isEqualTo("mean");
    assertThat(config.get(PolicySettings.MAX_VERSIONS)).isEqualTo(50);
    assertThat(AnomalyConfig.defaults().get(PerformanceDegradationSettings.MIN_SAMPLES))
        .isEqualTo(50);
  }

  @Test
  void invalidValuesFailTheBuildAllAtOnceNamingKeyAndValue() {
    AnomalyConfig config = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_FAILURE_RATE_THRESHOLD", "150",
        "ANOMALY_PERFORMANCE_RATIO", "1",
        "ANOMALY_ZOMBIE_WINDOW", "-5",
        "ANOMALY_PERFORMANCE_STATISTIC", "median",
        "ANOMALY_POLICY_MAX_VERSIONS", "none"));
    assertThatThrownBy(() -> AnomalyEngine.builder().config(config).autoTick(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_FAILURE_RATE_THRESHOLD must be a percentage above 0 and"
            + " at most 100, but was '150'")
        .hasMessageContaining("ANOMALY_PERFORMANCE_RATIO must be a number greater than 1, but"
            + " was '1'")
        .hasMessageContaining("ANOMALY_ZOMBIE_WINDOW must be a positive number of minutes, but"
            + " was '-5'")
        .hasMessageContaining("ANOMALY_PERFORMANCE_STATISTIC must be one of mean, p95, either,"
            + " but was 'median'")
        // shared by the three detectors, reported once
        .satisfies(e -> assertThat(e.getMessage().split("ANOMALY_POLICY_MAX_VERSIONS must be",
            -1)).hasSize(2));
  }
}
