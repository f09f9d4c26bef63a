package io.batanomaly.api;

import com.fasterxml.jackson.annotation.JsonFormat;

/** Who caused a status change recorded in an anomaly's history. */
@JsonFormat(shape = JsonFormat.Shape.STRING)
public enum Origin {
  /** A detector: the anomaly was opened, or cleared because its condition ended. */
  DETECTOR,
  /** A person, through a status update ({@code PATCH …/status}). */
  USER,
  /** The verify action ({@code POST …/actions/verify}) or the verification job it started. */
  VERIFICATION
}
