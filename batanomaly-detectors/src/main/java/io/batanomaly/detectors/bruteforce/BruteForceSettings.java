package io.batanomaly.detectors.bruteforce;

import io.batanomaly.Setting;

/** The settings the brute-force detector adds to the documented ones. */
public final class BruteForceSettings {
  private BruteForceSettings() {}

  /**
   * Identifiers tracked per tenant. When full, identifiers with nothing left inside the window
   * are dropped first, then those seen only once in it, least recent first; identifiers that
   * have repeated within the window are never dropped, and when only such identifiers are left,
   * new ones are not tracked (counted as shed).
   */
  public static final Setting<Integer> MAX_IDENTIFIERS = Setting.positiveInt(
      "ANOMALY_BRUTE_FORCE_MAX_IDENTIFIERS", 100_000, "identifiers the brute-force detector"
          + " tracks per tenant; one-time identifiers are dropped first, repeating ones never");
}
