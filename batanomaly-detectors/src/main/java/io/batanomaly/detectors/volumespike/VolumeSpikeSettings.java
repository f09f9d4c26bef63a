package io.batanomaly.detectors.volumespike;

import io.batanomaly.Setting;
import java.time.Duration;

/**
 * The guards the volume-spike detector adds to the documented z-score threshold and window.
 * Their defaults keep stationary Poisson traffic below one false alert per 100,000 bucket
 * evaluations while a three-fold burst lasting 20 s is caught on any service busier than about
 * one event per second.
 */
public final class VolumeSpikeSettings {
  private VolumeSpikeSettings() {}

  /** The recent span compared against the baseline (the rest of the volume window). */
  public static final Setting<Duration> CURRENT_WINDOW = Setting.seconds(
      "ANOMALY_VOLUME_CURRENT_WINDOW", 20, "recent span of the volume-spike detector, compared"
          + " against the rest of ANOMALY_VOLUME_WINDOW, in seconds; at most half of it");

  /** Services whose baseline is slower than this are not judged. */
  public static final Setting<Double> MIN_BASELINE_RATE = Setting.nonNegativeDouble(
      "ANOMALY_VOLUME_MIN_BASELINE_RATE", 0.5, "baseline rate, in events per second, below"
          + " which a service is not judged for volume spikes");

  /** The current count must be at least this multiple of the expected count. */
  public static final Setting<Double> MIN_RATIO = Setting.positiveDouble(
      "ANOMALY_VOLUME_MIN_RATIO", 2.2, "a volume spike needs at least this many times the"
          + " baseline's expected count in the current window");

  /** The current count must exceed the expected count by at least this many events. */
  public static final Setting<Double> MIN_INCREASE = Setting.nonNegativeDouble(
      "ANOMALY_VOLUME_MIN_INCREASE", 25, "a volume spike needs at least this many events more"
          + " than the baseline's expected count in the current window");
}
