package io.batanomaly.detectors.internal;

import io.batanomaly.api.Severity;

/**
 * Maps a measure (a rate, a share, a ratio) to a severity by three ascending steps: below
 * {@code medium} it is LOW, from {@code medium} MEDIUM, from {@code high} HIGH, from
 * {@code critical} CRITICAL.
 *
 * @param medium the lowest MEDIUM value
 * @param high the lowest HIGH value
 * @param critical the lowest CRITICAL value
 */
public record SeverityScale(double medium, double high, double critical) {

  /**
   * Creates a scale.
   *
   * @throws IllegalArgumentException if the steps do not ascend
   */
  public SeverityScale {
    if (!(medium <= high && high <= critical)) {
      throw new IllegalArgumentException("severity steps must ascend, but were " + medium + ", "
          + high + ", " + critical);
    }
  }

  /**
   * Grades a value.
   *
   * @param value the measure
   * @return its severity
   */
  public Severity of(double value) {
    if (value >= critical) {
      return Severity.CRITICAL;
    }
    if (value >= high) {
      return Severity.HIGH;
    }
    return value >= medium ? Severity.MEDIUM : Severity.LOW;
  }
}
