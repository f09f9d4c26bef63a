package io.batanomaly.detectors.errorrate;

import io.batanomaly.Setting;

/** The settings the error-rate detector adds to the documented ones. */
public final class ErrorRateSettings {
  private ErrorRateSettings() {}

  /**
   * Events a service's window must hold before its error rate is judged, so that 1 error out of
   * 1 event is not a 100% error rate.
   */
  public static final Setting<Integer> MIN_EVENTS = Setting.positiveInt(
      "ANOMALY_ERROR_RATE_MIN_EVENTS", 50, "responses (events with an HTTP status) a service's"
          + " error-rate window must hold before its error rate is judged");
}
