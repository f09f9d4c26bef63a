package io.batanomaly.detectors.highfailurerate;

import io.batanomaly.Setting;
import io.batanomaly.detectors.internal.PolicySettings;
import java.time.Duration;
import java.util.List;

/** The settings of the HIGH_FAILURE_RATE detector. */
public final class HighFailureRateSettings {
  private HighFailureRateSettings() {}

  /** Failure rate of a policy version that raises HIGH_FAILURE_RATE, in percent. */
  public static final Setting<Double> THRESHOLD = Setting.percentage(
      "ANOMALY_FAILURE_RATE_THRESHOLD", 10.0, "share of a policy version's evaluations"
          + " failing over the window above which HIGH_FAILURE_RATE is raised, in percent");

  /** Sliding window over which a version's failure rate is measured. */
  public static final Setting<Duration> WINDOW = Setting.minutes(
      "ANOMALY_FAILURE_RATE_WINDOW", 10, "sliding window over which a policy version's failure"
          + " rate is measured, in minutes");

  /** Span before the window whose failure rate is the version's baseline. */
  public static final Setting<Duration> BASELINE = Setting.minutes(
      "ANOMALY_FAILURE_RATE_BASELINE", 60, "span before the window whose failure rate is the"
          + " version's baseline (the previous version's when the version is new), in minutes");

  /** Evaluations a window needs before its failure rate is judged. */
  public static final Setting<Integer> MIN_SAMPLES = Setting.positiveInt(
      "ANOMALY_FAILURE_RATE_MIN_SAMPLES", 20, "evaluations of a policy version the window must"
          + " hold before its failure rate is judged");

  /** @return every setting the detector reads */
  public static List<Setting<?>> all() {
    return List.of(THRESHOLD, WINDOW, BASELINE, MIN_SAMPLES, PolicySettings.MAX_VERSIONS);
  }
}
