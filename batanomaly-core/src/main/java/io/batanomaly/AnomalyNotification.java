package io.batanomaly;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.HistoryEntry;

/**
 * What listeners receive: an anomaly that was opened, escalated or changed status, and the
 * {@value AuditEvent#ALERT_EVENT_TYPE} audit event that records it, ready for the host's own
 * event log.
 *
 * @param kind what happened
 * @param anomaly the anomaly after it happened
 * @param alert the {@value AuditEvent#ALERT_EVENT_TYPE} event describing it
 * @param change the status change, for {@link Kind#STATUS_CHANGED}; otherwise {@code null}
 */
public record AnomalyNotification(
    Kind kind, Anomaly anomaly, AuditEvent alert, HistoryEntry change) {

  /** What happened to the anomaly. */
  public enum Kind {
    /** A new anomaly was opened. */
    OPENED,
    /** A repeated finding raised the severity of an active anomaly. */
    ESCALATED,
    /** The anomaly changed status (triage, verification, or its condition cleared). */
    STATUS_CHANGED
  }
}
