package io.batanomaly.detectors.performancedegradation;

import io.batanomaly.Setting;
import io.batanomaly.detectors.internal.PolicySettings;
import java.time.Duration;
import java.util.List;

/** The settings of the PERFORMANCE_DEGRADATION detector. */
public final class PerformanceDegradationSettings {
  private PerformanceDegradationSettings() {}

  /** How many times its baseline a version's execution time statistic must reach. */
  public static final Setting<Double> RATIO = Setting.greaterThan(
      "ANOMALY_PERFORMANCE_RATIO", 1.5, 1.0, "mean (or, by ANOMALY_PERFORMANCE_STATISTIC, p95)"
          + " execution time of a policy version over the window, as a multiple of its baseline,"
          + " that raises PERFORMANCE_DEGRADATION");

  /**
   * Which statistic of the execution times is compared with the baseline: {@code mean} (the
   * documented rule, "average execution time increased significantly"), {@code p95} (a
   * slowdown of the tail alone) or {@code either}.
   */
  public static final Setting<String> STATISTIC = Setting.oneOf(
      "ANOMALY_PERFORMANCE_STATISTIC", "mean", "statistic of a policy version's execution times"
          + " compared with its baseline: mean (the average, as documented), p95 (the tail) or"
          + " either", "mean", "p95", "either");

  /** Width of the window each judgement looks at. */
  public static final Setting<Duration> WINDOW = Setting.minutes(
      "ANOMALY_PERFORMANCE_WINDOW", 5, "window of execution times judged at once (tumbling, on"
          + " event time), in minutes");

  /** Span of earlier execution times that form the baseline. */
  public static final Setting<Duration> BASELINE = Setting.minutes(
      "ANOMALY_PERFORMANCE_BASELINE", 60, "span of a version's earlier execution times that form"
          + " its baseline (between one and two of these spans are kept), in minutes");

  /** Execution times needed in the window and in the baseline before judging. */
  public static final Setting<Integer> MIN_SAMPLES = Setting.positiveInt(
      "ANOMALY_PERFORMANCE_MIN_SAMPLES", 50, "execution times the window and the baseline must"
          + " each hold before a version's performance is judged");

  /** @return every setting the detector reads */
  public static List<Setting<?>> all() {
    return List.of(RATIO, STATISTIC, WINDOW, BASELINE, MIN_SAMPLES, PolicySettings.MAX_VERSIONS);
  }
}
