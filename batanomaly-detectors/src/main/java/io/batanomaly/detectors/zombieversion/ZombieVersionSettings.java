package io.batanomaly.detectors.zombieversion;

import io.batanomaly.Setting;
import io.batanomaly.detectors.internal.PolicySettings;
import java.time.Duration;
import java.util.List;

/** The settings of the ZOMBIE_VERSION detector. */
public final class ZombieVersionSettings {
  private ZombieVersionSettings() {}

  /** How long a superseded version may still receive evaluations before it is a zombie. */
  public static final Setting<Duration> GRACE = Setting.minutes(
      "ANOMALY_ZOMBIE_GRACE", 30, "how long after a version is superseded it may still receive"
          + " evaluations before it raises ZOMBIE_VERSION, in minutes");

  /** Sliding window over which traffic shares and zombie evaluations are counted. */
  public static final Setting<Duration> WINDOW = Setting.minutes(
      "ANOMALY_ZOMBIE_WINDOW", 15, "sliding window over which each version's share of a policy"
          + " function's evaluations is measured, in minutes");

  /** Evaluations a superseded version must receive after the grace period to be a zombie. */
  public static final Setting<Integer> MIN_EVALUATIONS = Setting.positiveInt(
      "ANOMALY_ZOMBIE_MIN_EVALUATIONS", 10, "evaluations a superseded version must receive"
          + " within the window, after the grace period, to raise ZOMBIE_VERSION");

  /** Share of a function's evaluations that makes a version current when the host declares none. */
  public static final Setting<Double> TAKEOVER_SHARE = Setting.percentage(
      "ANOMALY_ZOMBIE_TAKEOVER_SHARE", 50.0, "share of a policy function's evaluations over the"
          + " window that makes a version current when the host declares none, in percent");

  /** @return every setting the detector reads */
  public static List<Setting<?>> all() {
    return List.of(GRACE, WINDOW, MIN_EVALUATIONS, TAKEOVER_SHARE, PolicySettings.MAX_VERSIONS);
  }
}
