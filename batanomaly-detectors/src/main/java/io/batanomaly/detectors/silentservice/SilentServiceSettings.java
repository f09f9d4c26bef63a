package io.batanomaly.detectors.silentservice;

import io.batanomaly.Setting;

/**
 * What "regularly active" means to the silent-service detector: events in at least
 * {@link #MIN_ACTIVE_MINUTES} of the {@link #LOOKBACK_MINUTES} minutes before the silence.
 */
public final class SilentServiceSettings {
  private SilentServiceSettings() {}

  /** How many minutes before a silence are looked at to decide whether the service was active. */
  public static final Setting<Integer> LOOKBACK_MINUTES = Setting.positiveInt(
      "ANOMALY_SILENT_SERVICE_LOOKBACK_MINUTES", 60, "minutes before a silence in which the"
          + " silent-service detector looks for regular activity");

  /** How many of those minutes must have had events. */
  public static final Setting<Integer> MIN_ACTIVE_MINUTES = Setting.positiveInt(
      "ANOMALY_SILENT_SERVICE_MIN_ACTIVE_MINUTES", 10, "minutes of the lookback that must have"
          + " had events for a service to count as regularly active; sparser services are"
          + " never reported silent");
}
