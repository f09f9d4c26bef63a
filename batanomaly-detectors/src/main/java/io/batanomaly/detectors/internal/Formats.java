package io.batanomaly.detectors.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Locale;

/**
 * Wording shared by the detectors' summaries and evidence, so every anomaly reads the same way:
 * numbers rounded for people, durations as {@code 5m 20s}, times as ISO-8601 instants.
 */
public final class Formats {
  private Formats() {}

  /**
   * Rounds a number for evidence: at most {@code digits} decimals, as a {@link BigDecimal}
   * so it serialises without binary noise, and always a plain decimal ({@code 20}, never
   * {@code 2E+1}).
   *
   * @param value the value; NaN and infinities become 0
   * @param digits decimals kept
   * @return the rounded value
   */
  public static BigDecimal round(double value, int digits) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return BigDecimal.ZERO;
    }
    BigDecimal r =
        BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_UP).stripTrailingZeros();
    // a whole number stripped of its zeros has a negative scale (20 becomes 2E+1, which JSON
    // writers print as such): keep it a plain decimal
    return r.scale() < 0 ? r.setScale(0) : r;
  }

  /**
   * Writes a number with one decimal, such as {@code 12.5}.
   *
   * @param value the value
   * @return the text
   */
  public static String oneDecimal(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /**
   * Writes a duration for people: {@code 45s}, {@code 5m}, {@code 5m 20s}, {@code 2h 5m}.
   *
   * @param millis the duration in milliseconds
   * @return the text
   */
  public static String duration(long millis) {
    long seconds = Math.max(0, millis) / 1000;
    if (seconds < 60) {
      return millis > 0 && millis < 1000 ? millis + "ms" : seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m " + s + "s";
    }
    long m = minutes % 60;
    return m == 0 ? (minutes / 60) + "h" : (minutes / 60) + "h " + m + "m";
  }

  /**
   * Converts epoch milliseconds to an instant for evidence.
   *
   * @param epochMillis the time
   * @return the instant
   */
  public static Instant instant(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }
}
