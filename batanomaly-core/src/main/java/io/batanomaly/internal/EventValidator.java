package io.batanomaly.internal;

import io.batanomaly.AuditEvent;
import io.batanomaly.RejectReason;
import java.time.Instant;

/**
 * Checks one event's content. {@link #check} allocates nothing for a valid event; the message
 * of a rejection is only built by {@link #describe}.
 */
public final class EventValidator {
  private final int maxFieldLength;
  private final long maxFutureSkewMillis;
  private final long maxAgeMillis;

  /**
   * Creates a validator.
   *
   * @param maxFieldLength longest accepted string field
   * @param maxFutureSkewMillis how far ahead of the clock an event time may be
   * @param maxAgeMillis how far behind the clock an event time may be
   */
  public EventValidator(int maxFieldLength, long maxFutureSkewMillis, long maxAgeMillis) {
    this.maxFieldLength = maxFieldLength;
    this.maxFutureSkewMillis = maxFutureSkewMillis;
    this.maxAgeMillis = maxAgeMillis;
  }

  /**
   * Checks an event's content (not its lateness, which depends on the tenant).
   *
   * @param e the event
   * @param nowMillis the engine clock
   * @return the reason to reject it, or {@code null} if it is valid
   */
  public RejectReason check(AuditEvent e, long nowMillis) {
    if (e == null) {
      return RejectReason.NULL_EVENT;
    }
    return check(e.tenant(), e.service(), e.epochMillis(), e.status(), e.executionTimeNanos(),
        e, nowMillis);
  }

  /**
   * Checks one row of a batch, as {@link #check(AuditEvent, long)} checks an event.
   *
   * @param rows the batch
   * @param i the row
   * @param longestFieldLength {@code rows.longestFieldLength(i)}, measured beforehand
   * @param nowMillis the engine clock
   * @return the reason to reject it, or {@code null} if it is valid
   */
  public RejectReason check(Rows rows, int i, int longestFieldLength, long nowMillis) {
    if (rows.isNull(i)) {
      return RejectReason.NULL_EVENT;
    }
    if (isBlank(rows.tenant(i))) {
      return RejectReason.MISSING_TENANT;
    }
    if (isBlank(rows.service(i))) {
      return RejectReason.MISSING_SERVICE;
    }
    return checkValues(rows.epochMillis(i), rows.status(i), rows.executionTimeNanos(i),
        longestFieldLength, nowMillis);
  }

  /**
   * The checks of {@link #check(Rows, int, int, long)} that follow the tenant's and the
   * service's, for a row whose tenant and service are already known not to be blank.
   *
   * @param epochMillis the event time
   * @param status the HTTP status
   * @param executionTimeNanos the execution time
   * @param longestFieldLength the length of the row's longest string field
   * @param nowMillis the engine clock
   * @return the reason to reject the row, or {@code null} if it is valid
   */
  public RejectReason checkValues(long epochMillis, int status, long executionTimeNanos,
      int longestFieldLength, long nowMillis) {
    RejectReason reason = checkValues(epochMillis, status, executionTimeNanos, nowMillis);
    if (reason == null && longestFieldLength > maxFieldLength) {
      return RejectReason.FIELD_TOO_LONG;
    }
    return reason;
  }

  private RejectReason check(String tenant, String service, long epochMillis, int status,
      long exec, AuditEvent lengthsOf, long nowMillis) {
    if (isBlank(tenant)) {
      return RejectReason.MISSING_TENANT;
    }
    if (isBlank(service)) {
      return RejectReason.MISSING_SERVICE;
    }
    RejectReason reason = checkValues(epochMillis, status, exec, nowMillis);
    if (reason == null && lengthsOf != null && lengthsOf.longestFieldLength() > maxFieldLength) {
      return RejectReason.FIELD_TOO_LONG;
    }
    return reason;
  }

  private RejectReason checkValues(long epochMillis, int status, long exec, long nowMillis) {
    if (epochMillis == AuditEvent.NO_TIMESTAMP) {
      return RejectReason.MISSING_TIMESTAMP;
    }
    if (status != 0 && (status < 100 || status > 599)) {
      return RejectReason.INVALID_STATUS;
    }
    if (exec != AuditEvent.NO_EXECUTION_TIME && exec < 0) {
      return RejectReason.INVALID_EXECUTION_TIME;
    }
    if (epochMillis > nowMillis + maxFutureSkewMillis
        && nowMillis <= Long.MAX_VALUE - maxFutureSkewMillis) {
      return RejectReason.TIMESTAMP_IN_FUTURE;
    }
    // Bounding the past too keeps every accepted event time within days of the clock, so
    // windows (whose epochs are counted from their first event) never see an absurd time span.
    if (epochMillis < nowMillis - maxAgeMillis
        && nowMillis >= Long.MIN_VALUE + maxAgeMillis) {
      return RejectReason.TIMESTAMP_TOO_OLD;
    }
    return null;
  }

  /**
   * Builds the message for a rejection.
   *
   * @param reason the reason {@link #check} or the lateness check gave
   * @param e the event
   * @param nowMillis the engine clock
   * @param latenessMillis the allowed lateness
   * @param watermark the tenant's watermark: its newest event time, at most the engine clock
   * @return what was wrong, with the value given
   */
  public String describe(
      RejectReason reason, AuditEvent e, long nowMillis, long latenessMillis, long watermark) {
    switch (reason) {
      case NULL_EVENT:
        return "event is null";
      case MISSING_TENANT:
        return "tenant must not be blank, but was " + quote(e.tenant());
      case MISSING_SERVICE:
        return "service must not be blank, but was " + quote(e.service());
      case MISSING_TIMESTAMP:
        return "timestamp is required";
      case INVALID_STATUS:
        return "status must be 0 (none) or between 100 and 599, but was " + e.status();
      case INVALID_EXECUTION_TIME:
        return e.executionTimeNanos() == AuditEvent.INVALID_EXECUTION_TIME
            ? "executionTime must be a finite number, but was NaN or infinite"
            : "executionTime must not be negative, but was " + e.executionTimeNanos() + " ns";
      case FIELD_TOO_LONG:
        return "string fields must be at most " + maxFieldLength + " characters, but "
            + longestField(e);
      case TIMESTAMP_IN_FUTURE:
        return "timestamp must be at most " + maxFutureSkewMillis + " ms ahead of the clock ("
            + Instant.ofEpochMilli(nowMillis) + "), but was " + instant(e.epochMillis());
      case TIMESTAMP_TOO_OLD:
        return "timestamp must be at most " + maxAgeMillis + " ms behind the clock ("
            + Instant.ofEpochMilli(nowMillis) + ") (ANOMALY_MAX_EVENT_AGE), but was "
            + instant(e.epochMillis());
      case LATE:
        return "timestamp " + instant(e.epochMillis()) + " is more than " + latenessMillis
            + " ms behind the tenant's watermark " + instant(watermark)
            + " (ANOMALY_ALLOWED_LATENESS)";
      case TENANT_LIMIT:
        return "the engine already tracks the maximum number of tenants"
            + " (ANOMALY_MAX_TENANTS); tenant " + quote(e.tenant()) + " is not tracked";
      case SERVICE_LIMIT:
        return "tenant " + quote(e.tenant()) + " already has the maximum number of active"
            + " services (ANOMALY_MAX_SERVICES_PER_TENANT); service " + quote(e.service())
            + " is not tracked";
      default:
        return reason.name();
    }
  }

  private String longestField(AuditEvent e) {
    String[] names = {"tenant", "service", "method", "identifier", "eventType", "policyModule",
        "policyFunction", "versionId"};
    String[] values = {e.tenant(), e.service(), e.method(), e.identifier(), e.eventType(),
        e.policyModule(), e.policyFunction(), e.versionId()};
    for (int i = 0; i < names.length; i++) {
      if (tooLong(values[i])) {
        return names[i] + " had " + values[i].length();
      }
    }
    return "none did";
  }

  private static String instant(long millis) {
    try {
      return Instant.ofEpochMilli(millis).toString();
    } catch (RuntimeException outOfRange) {
      return millis + " ms since the epoch";
    }
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    return "'" + (s.length() > 64 ? s.substring(0, 64) + "…" : s) + "'";
  }

  private boolean tooLong(String s) {
    return s != null && s.length() > maxFieldLength;
  }

  private static boolean isBlank(String s) {
    if (s == null || s.isEmpty()) {
      return true;
    }
    // every whitespace character is at most U+0020 or beyond ASCII: a printable ASCII first
    // character settles it without the scan
    char first = s.charAt(0);
    return (first <= ' ' || first >= 0x7F) && s.isBlank();
  }
}
