package io.batanomaly.internal;

import io.batanomaly.AnomalyNotification;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds notifications exactly as the engine does, for tests of listeners. */
public final class TestNotifications {
  private TestNotifications() {}

  /**
   * An anomaly just opened.
   *
   * @param id the anomaly id
   * @param summary its summary
   * @param at when
   * @return the notification
   */
  public static AnomalyNotification opened(String id, String summary, Instant at) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("failures", 12);
    metrics.put("rate", 0.5);
    HistoryEntry opening =
        new HistoryEntry(null, AnomalyStatus.OPEN, at, summary, Origin.DETECTOR, Map.of());
    Anomaly a = new Anomaly(id, "acme-corp", "BRUTE_FORCE", "10.0.0.7", "billing", "10.0.0.7",
        null, null, null, at, at, 1, AnomalyStatus.OPEN, Severity.HIGH, summary, metrics,
        List.of("block 10.0.0.7"), List.of(opening));
    return new AnomalyNotification(AnomalyNotification.Kind.OPENED, a,
        AnomalyLifecycle.alertEvent(a, AnomalyNotification.Kind.OPENED, opening), opening);
  }

  /**
   * The same anomaly after a status change.
   *
   * @param opened the notification of its opening
   * @param to the new status
   * @param note the triage note
   * @param at when
   * @return the notification
   */
  public static AnomalyNotification changed(AnomalyNotification opened, AnomalyStatus to,
      String note, Instant at) {
    Anomaly a = opened.anomaly();
    HistoryEntry change = new HistoryEntry(a.status(), to, at, note, Origin.USER, Map.of());
    List<HistoryEntry> history = new ArrayList<>(a.history());
    history.add(change);
    Anomaly next = new Anomaly(a.id(), a.tenant(), a.type(), a.subject(), a.service(),
        a.identifier(), a.policyModule(), a.policyFunction(), a.versionId(), a.detectedAt(),
        a.lastSeenAt(), a.occurrences(), to, a.severity(), a.summary(), a.metrics(),
        a.recommendedActions(), history);
    return new AnomalyNotification(AnomalyNotification.Kind.STATUS_CHANGED, next,
        AnomalyLifecycle.alertEvent(next, AnomalyNotification.Kind.STATUS_CHANGED, change),
        change);
  }
}
