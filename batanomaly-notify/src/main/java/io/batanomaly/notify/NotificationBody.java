package io.batanomaly.notify;

import io.batanomaly.AnomalyNotification;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.HistoryEntry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The JSON documents the notifiers send, written by hand (see the README for the schema). */
final class NotificationBody {
  private NotificationBody() {}

  /**
   * Names what happened: {@code anomaly.opened}, {@code anomaly.escalated}, and for a status
   * change {@code anomaly.resolved}, {@code anomaly.dismissed}, {@code anomaly.verifying} or
   * {@code anomaly.reopened}.
   */
  static String event(AnomalyNotification n) {
    switch (n.kind()) {
      case OPENED:
        return "anomaly.opened";
      case ESCALATED:
        return "anomaly.escalated";
      default:
        HistoryEntry c = n.change();
        if (c == null) {
          return "anomaly." + n.anomaly().status().name().toLowerCase(Locale.ROOT);
        }
        switch (c.to()) {
          case OPEN:
            return "anomaly.reopened";
          default:
            return "anomaly." + c.to().name().toLowerCase(Locale.ROOT);
        }
    }
  }

  /** The webhook body: the delivery id, the event, the anomaly, the change and the alert. */
  static String webhook(AnomalyNotification n, String deliveryId) {
    Anomaly a = n.anomaly();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("deliveryId", deliveryId);
    doc.put("event", event(n));
    doc.put("kind", n.kind());
    doc.put("occurredAt", n.alert().timestamp());
    Map<String, Object> anomaly = new LinkedHashMap<>();
    anomaly.put("id", a.id());
    anomaly.put("tenant", a.tenant());
    anomaly.put("type", a.type());
    anomaly.put("subject", a.subject());
    anomaly.put("service", a.service());
    anomaly.put("identifier", a.identifier());
    anomaly.put("policyModule", a.policyModule());
    anomaly.put("policyFunction", a.policyFunction());
    anomaly.put("versionId", a.versionId());
    anomaly.put("status", a.status());
    anomaly.put("severity", a.severity());
    anomaly.put("summary", a.summary());
    anomaly.put("detectedAt", a.detectedAt());
    anomaly.put("lastSeenAt", a.lastSeenAt());
    anomaly.put("occurrences", a.occurrences());
    anomaly.put("metrics", a.metrics());
    anomaly.put("recommendedActions", a.recommendedActions());
    doc.put("anomaly", anomaly);
    HistoryEntry c = n.change();
    if (c == null) {
      doc.put("change", null);
    } else {
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("from", c.from());
      change.put("to", c.to());
      change.put("at", c.at());
      change.put("origin", c.origin());
      change.put("note", c.note());
      doc.put("change", change);
    }
    doc.put("alert", alert(n.alert()));
    return Json.write(doc);
  }

  private static Map<String, Object> alert(AuditEvent e) {
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("eventType", e.eventType());
    alert.put("tenant", e.tenant());
    alert.put("service", e.service());
    alert.put("timestamp", Instant.ofEpochMilli(e.epochMillis()));
    alert.put("attributes", e.attributes());
    return alert;
  }

  /**
   * The Web Push payload: small, since a push message holds at most 3993 bytes of plaintext.
   * The summary is shortened if the whole would not fit.
   */
  static String push(AnomalyNotification n, String deliveryId, int maxBytes) {
    String summary = n.anomaly().summary() == null ? "" : n.anomaly().summary();
    String json = pushJson(n, deliveryId, summary);
    int size = utf8Length(json);
    if (size <= maxBytes) {
      return json;
    }
    // Keep the longest prefix (whole code points) whose escaped form still fits: a binary
    // search, since escaping makes the byte count of a prefix hard to predict.
    int lo = 0;
    int hi = summary.length();
    String best = pushJson(n, deliveryId, "");
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      int end = mid;
      if (end > 0 && Character.isHighSurrogate(summary.charAt(end - 1))) {
        end--;
      }
      String candidate = pushJson(n, deliveryId, summary.substring(0, end) + "…");
      if (utf8Length(candidate) <= maxBytes) {
        best = candidate;
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  private static String pushJson(AnomalyNotification n, String deliveryId, String summary) {
    Anomaly a = n.anomaly();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("deliveryId", deliveryId);
    doc.put("event", event(n));
    doc.put("title", a.severity() + " " + a.type() + ": " + a.subject());
    doc.put("body", summary);
    doc.put("anomalyId", a.id());
    doc.put("tenant", a.tenant());
    doc.put("type", a.type());
    doc.put("severity", a.severity());
    doc.put("status", a.status());
    return Json.write(doc);
  }

  private static int utf8Length(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

}
