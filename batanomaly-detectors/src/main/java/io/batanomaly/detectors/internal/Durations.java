package io.batanomaly.detectors.internal;

import java.time.Duration;

/** Short human-readable durations for summaries: {@code 45 s}, {@code 10 min}, {@code 2 h}. */
public final class Durations {
  private Durations() {}

  /**
   * Writes a duration in its largest whole unit; from two minutes on, to the nearest minute.
   *
   * @param d the duration
   * @return such as {@code 10 min}, {@code 2 h} or {@code 90 s}
   */
  public static String human(Duration d) {
    long s = d.toSeconds();
    if (s >= 3600 && s % 3600 == 0) {
      return s / 3600 + " h";
    }
    if (s >= 120 || (s >= 60 && s % 60 == 0)) {
      return Math.round(s / 60.0) + " min";
    }
    return s >= 1 ? s + " s" : d.toMillis() + " ms";
  }
}
