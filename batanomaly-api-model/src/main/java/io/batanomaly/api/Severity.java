package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonFormat;

/** How urgently an anomaly needs attention, from {@link #LOW} to {@link #CRITICAL}. */
@JsonFormat(shape = JsonFormat.Shape.STRING)
public enum Severity {
  /** Worth a look when convenient. */
  LOW,
  /** Worth a look today. */
  MEDIUM,
  /** Needs attention soon. */
  HIGH,
  /** Needs attention now. */
  CRITICAL;

  /**
   * Returns the higher of this severity and {@code other}.
   *
   * @param other the severity to compare with
   * @return the more severe of the two
   * @throws NullPointerException if {@code other} is null
   */
  public Severity max(Severity other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
