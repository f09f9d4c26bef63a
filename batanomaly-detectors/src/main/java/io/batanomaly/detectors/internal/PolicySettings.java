package io.batanomaly.detectors.internal;

import io.batanomaly.Setting;

/** Settings the three policy-version detectors share. */
public final class PolicySettings {
  private PolicySettings() {}

  /** Policy versions each policy-version detector tracks per tenant. */
  public static final Setting<Integer> MAX_VERSIONS = Setting.positiveInt(
      "ANOMALY_POLICY_MAX_VERSIONS", 500, "policy versions (module/function@version) each"
          + " policy-version detector tracks per tenant; idle ones are evicted first, and the"
          + " evictions are counted");
}
