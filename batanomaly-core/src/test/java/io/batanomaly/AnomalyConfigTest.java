package io.batanomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnomalyConfigTest {

  @Test
  void defaultsAreTheDocumentedValues() {
    AnomalyConfig c = AnomalyConfig.defaults();
    assertThat(c.get(AnomalySettings.VOLUME_THRESHOLD)).isEqualTo(3.0);
    assertThat(c.get(AnomalySettings.VOLUME_WINDOW)).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.get(AnomalySettings.ERROR_RATE_THRESHOLD)).isEqualTo(20.0);
    assertThat(c.get(AnomalySettings.ERROR_RATE_WINDOW)).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.get(AnomalySettings.BRUTE_FORCE_THRESHOLD)).isEqualTo(10);
    assertThat(c.get(AnomalySettings.BRUTE_FORCE_WINDOW)).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.get(AnomalySettings.MASS_DELETE_THRESHOLD)).isEqualTo(50);
    assertThat(c.get(AnomalySettings.MASS_DELETE_WINDOW)).isEqualTo(Duration.ofSeconds(300));
    assertThat(c.get(AnomalySettings.SILENT_SERVICE_MINUTES)).isEqualTo(Duration.ofMinutes(15));
    assertThat(c.get(AnomalySettings.COOLDOWN)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void readsOnlyAnomalyKeysFromAMap() {
    AnomalyConfig c = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_BRUTE_FORCE_THRESHOLD", "25", "PATH", "/usr/bin", "ANOMALY_COOLDOWN", "1m"));
    assertThat(c.get(AnomalySettings.BRUTE_FORCE_THRESHOLD)).isEqualTo(25);
    assertThat(c.get(AnomalySettings.COOLDOWN)).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.asMap()).doesNotContainKey("PATH");
  }

  @Test
  void acceptsCooldownWithEveryDocumentedUnitAndPlainSeconds() {
    Setting<Duration> cooldown = AnomalySettings.COOLDOWN;
    assertThat(cooldown.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(cooldown.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(cooldown.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(cooldown.parse("1m")).isEqualTo(Duration.ofMinutes(1));
    assertThat(cooldown.parse("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(cooldown.parse(" 250ms ")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void acceptsIso8601DurationsWhereverADurationIsRead() {
    assertThat(AnomalySettings.COOLDOWN.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(AnomalySettings.COOLDOWN.parse("pt0.25s")).isEqualTo(Duration.ofMillis(250));
    assertThat(AnomalySettings.COOLDOWN.parse("P1DT2H")).isEqualTo(Duration.ofHours(26));
    assertThat(AnomalySettings.COOLDOWN.parse("PT0S")).isEqualTo(Duration.ZERO);
    assertThat(AnomalySettings.VOLUME_WINDOW.parse("PT5M")).isEqualTo(Duration.ofSeconds(300));
    assertThat(AnomalySettings.VOLUME_WINDOW.parse("PT45S")).isEqualTo(Duration.ofSeconds(45));
    assertThat(AnomalySettings.SILENT_SERVICE_MINUTES.parse("PT1H"))
        .isEqualTo(Duration.ofMinutes(60));
    AnomalyConfig c = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_COOLDOWN", "PT2M", "ANOMALY_BRUTE_FORCE_WINDOW", "PT10M"));
    assertThat(c.validate(AnomalySettings.all())).isEmpty();
    assertThat(c.get(AnomalySettings.COOLDOWN)).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.get(AnomalySettings.BRUTE_FORCE_WINDOW)).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void refusesIso8601DurationsThatAreNegativeOrNotWholeUnitsOfTheKey() {
    assertThatThrownBy(() -> AnomalySettings.COOLDOWN.parse("PT-5M"))
        .hasMessageContaining("ANOMALY_COOLDOWN must be a duration")
        .hasMessageEndingWith("but was 'PT-5M'");
    assertThatThrownBy(() -> AnomalySettings.COOLDOWN.parse("-PT5M"))
        .hasMessageEndingWith("but was '-PT5M'");
    assertThatThrownBy(() -> AnomalySettings.COOLDOWN.parse("P1Y"))
        .hasMessageEndingWith("but was 'P1Y'");
    assertThatThrownBy(() -> AnomalySettings.COOLDOWN.parse("PT99999999999999999H"))
        .hasMessageEndingWith("but was 'PT99999999999999999H'");
    assertThatThrownBy(() -> AnomalySettings.VOLUME_WINDOW.parse("PT0.5S"))
        .hasMessage("ANOMALY_VOLUME_WINDOW must be a positive number of seconds,"
            + " but was 'PT0.5S'");
    assertThatThrownBy(() -> AnomalySettings.VOLUME_WINDOW.parse("PT0S"))
        .hasMessageEndingWith("but was 'PT0S'");
    assertThatThrownBy(() -> AnomalySettings.SILENT_SERVICE_MINUTES.parse("PT90S"))
        .hasMessage("ANOMALY_SILENT_SERVICE_MINUTES must be a positive number of minutes,"
            + " but was 'PT90S'");
  }

  @Test
  void namesTheKeyTheRuleAndTheValueGivenWhenAValueIsBad() {
    assertThatThrownBy(() -> AnomalySettings.VOLUME_WINDOW.parse("-5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ANOMALY_VOLUME_WINDOW must be a positive number of seconds, but was '-5'");
    assertThatThrownBy(() -> AnomalySettings.COOLDOWN.parse("soon"))
        .hasMessageContaining("ANOMALY_COOLDOWN must be a duration")
        .hasMessageEndingWith("but was 'soon'");
    assertThatThrownBy(() -> AnomalySettings.ERROR_RATE_THRESHOLD.parse("120"))
        .hasMessage("ANOMALY_ERROR_RATE_THRESHOLD must be a percentage above 0 and at most 100,"
            + " but was '120'");
  }

  @Test
  void reportsEveryInvalidSettingAtOnce() {
    AnomalyConfig c = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_VOLUME_WINDOW", "-5", "ANOMALY_BRUTE_FORCE_THRESHOLD", "ten",
        "ANOMALY_COOLDOWN", "5m"));
    List<String> errors = c.validate(AnomalySettings.all());
    assertThat(errors).containsExactlyInAnyOrder(
        "ANOMALY_VOLUME_WINDOW must be a positive number of seconds, but was '-5'",
        "ANOMALY_BRUTE_FORCE_THRESHOLD must be a positive whole number, but was 'ten'");
  }

  @Test
  void anIdempotencyTtlOfZeroIsRefusedRatherThanSilentlyTurningReplayOff() {
    // Regression: ANOMALY_IDEMPOTENCY_TTL=0 was accepted, and no outcome was ever replayed.
    for (String zero : List.of("0", "0s", "0ms", "PT0S")) {
      AnomalyConfig c = AnomalyConfig.fromMap(Map.of("ANOMALY_IDEMPOTENCY_TTL", zero));
      assertThatThrownBy(() -> AnomalyEngine.builder().config(c).discoverDetectors(false)
              .autoTick(false).build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("ANOMALY_IDEMPOTENCY_TTL must be a duration greater than zero"
              + " such as 30s, 5m, 1h or a number of seconds, but was '" + zero + "'");
    }
    assertThat(AnomalyConfig.fromMap(Map.of("ANOMALY_IDEMPOTENCY_TTL", "1s"))
        .get(AnomalySettings.IDEMPOTENCY_TTL)).isEqualTo(java.time.Duration.ofSeconds(1));
  }

  @Test
  void engineBuildFailsWithEveryInvalidSettingListed() {
    AnomalyConfig c = AnomalyConfig.fromMap(Map.of(
        "ANOMALY_VOLUME_WINDOW", "-5", "ANOMALY_MASS_DELETE_THRESHOLD", "0"));
    assertThatThrownBy(() -> AnomalyEngine.builder().config(c).discoverDetectors(false)
            .autoTick(false).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_VOLUME_WINDOW must be a positive number of seconds,"
            + " but was '-5'")
        .hasMessageContaining("ANOMALY_MASS_DELETE_THRESHOLD must be a positive whole number,"
            + " but was '0'");
  }

  @Test
  void typedValuesRoundTripThroughTheBuilder() {
    AnomalyConfig c = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.VOLUME_WINDOW, Duration.ofMinutes(10))
        .set(AnomalySettings.SILENT_SERVICE_MINUTES, Duration.ofMinutes(30))
        .set(AnomalySettings.COOLDOWN, Duration.ofMillis(1500))
        .set(AnomalySettings.BRUTE_FORCE_THRESHOLD, 7)
        .build();
    assertThat(c.get(AnomalySettings.VOLUME_WINDOW)).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.get(AnomalySettings.SILENT_SERVICE_MINUTES)).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.get(AnomalySettings.COOLDOWN)).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.get(AnomalySettings.BRUTE_FORCE_THRESHOLD)).isEqualTo(7);
  }

  @Test
  void refusesKeysOutsideTheAnomalyNamespace() {
    assertThatThrownBy(() -> AnomalyConfig.defaults().toBuilder().set("VOLUME", "3"))
        .hasMessage("setting keys start with ANOMALY_, but was 'VOLUME'");
  }

  @Test
  void disablesDetectorsByNameOrTypeInAnyCase() {
    AnomalyConfig c = AnomalyConfig.fromMap(
        Map.of("ANOMALY_DISABLED_DETECTORS", "brute_force, mass_delete"));
    assertThat(c.isDetectorEnabled("brute_force", List.of("BRUTE_FORCE"))).isFalse();
    assertThat(c.isDetectorEnabled("x", List.of("MASS_DELETE"))).isFalse();
    assertThat(c.isDetectorEnabled("error_rate", List.of("ERROR_RATE"))).isTrue();
  }
}
