package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * The triage status of an anomaly.
 *
 * <p>{@link #OPEN} and {@link #VERIFYING} are <em>active</em>: while an anomaly is active, a
 * repeated finding for the same tenant, type and subject updates it instead of opening another.
 * {@link #RESOLVED} and {@link #DISMISSED} are <em>closed</em>. Which change is allowed from
 * which status is decided by {@link AnomalyTransitions}.
 */
@JsonFormat(shape = JsonFormat.Shape.STRING)
public enum AnomalyStatus {
  /** Detected and waiting for someone to look at it. */
  OPEN,
  /** A verification job is re-evaluating the evidence; it always ends in RESOLVED or OPEN. */
  VERIFYING,
  /**
   * The condition is over, by a person's word, by verification or by its detector. The same
   * type and subject open no new anomaly until the engine's cooldown has passed.
   */
  RESOLVED,
  /**
   * A person judged the anomaly not worth acting on. For the engine's dismissal period (at
   * least the cooldown), findings of the same type and subject that are no more severe open no
   * new anomaly; a more severe one opens a new anomaly at once.
   */
  DISMISSED;

  /**
   * Tells whether an anomaly in this status still absorbs repeated findings.
   *
   * @return {@code true} for OPEN and VERIFYING
   */
  public boolean isActive() {
    return this == OPEN || this == VERIFYING;
  }

  /**
   * Parses a status name, ignoring case and surrounding blanks.
   *
   * @param text the name, such as {@code "resolved"}
   * @return the status
   * @throws IllegalArgumentException if {@code text} is null or names no status; the message
   *     lists the accepted names
   */
  public static AnomalyStatus parse(String text) {
    if (text != null) {
      String name = text.trim();
      for (AnomalyStatus status : values()) {
        if (status.name().equalsIgnoreCase(name)) {
          return status;
        }
      }
    }
    throw new IllegalArgumentException(
        "status must be one of OPEN, VERIFYING, RESOLVED, DISMISSED, but was '" + text + "'");
  }
}
