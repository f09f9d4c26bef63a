package io.batanomaly.internal;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;

/**
 * The events of one batch as the pipeline reads them, by index, whatever the host handed over:
 * a collection of {@link AuditEvent}s or a columnar {@link io.batanomaly.EventBatch}. Only
 * {@link #isNull} may be asked of a null row.
 */
public interface Rows {
  /** @return the number of rows */
  int size();

  /** @return whether row {@code i} holds no event at all */
  boolean isNull(int i);

  /** @return the tenant of row {@code i} */
  String tenant(int i);

  /** @return the service of row {@code i} */
  String service(int i);

  /** @return the event time of row {@code i}, or {@link AuditEvent#NO_TIMESTAMP} */
  long epochMillis(int i);

  /** @return the normalised method of row {@code i}, or {@code null} */
  String method(int i);

  /** @return whether the method of row {@code i} is DELETE */
  boolean isDelete(int i);

  /** @return whether row {@code i} is one of the engine's own alert events */
  boolean isAlert(int i);

  /** @return the status of row {@code i}, 0 for none */
  int status(int i);

  /** @return the identifier of row {@code i}, or {@code null} */
  String identifier(int i);

  /** @return the event type of row {@code i}, or {@code null} */
  String eventType(int i);

  /** @return the policy module of row {@code i}, or {@code null} */
  String policyModule(int i);

  /** @return the policy function of row {@code i}, or {@code null} */
  String policyFunction(int i);

  /** @return the version id of row {@code i}, or {@code null} */
  String versionId(int i);

  /** @return the outcome of row {@code i}, or {@code null} */
  Outcome outcome(int i);

  /** @return the execution time of row {@code i}, as {@link AuditEvent#executionTimeNanos()} */
  long executionTimeNanos(int i);

  /** @return the length of the longest string field of row {@code i} */
  int longestFieldLength(int i);

  /**
   * Returns row {@code i} as an event: the one given, or one built from the columns (which
   * allocates).
   *
   * @return the event, {@code null} for a null row
   */
  AuditEvent event(int i);
}
