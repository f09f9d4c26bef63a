package io.batanomaly;

/** Why {@link AnomalyEngine#ingest} rejected an event. */
public enum RejectReason {
  /** The batch held {@code null} in place of an event. */
  NULL_EVENT,
  /** The tenant is missing or blank. */
  MISSING_TENANT,
  /** The service is missing or blank. */
  MISSING_SERVICE,
  /** The event has no timestamp. */
  MISSING_TIMESTAMP,
  /** The status is neither 0 (no HTTP status) nor between 100 and 599. */
  INVALID_STATUS,
  /** The execution time is negative, NaN or infinite. */
  INVALID_EXECUTION_TIME,
  /** A string field is longer than {@code ANOMALY_MAX_FIELD_LENGTH}. */
  FIELD_TOO_LONG,
  /** The event time is further ahead of the engine clock than {@code ANOMALY_MAX_FUTURE_SKEW}. */
  TIMESTAMP_IN_FUTURE,
  /** The event time is further behind the engine clock than {@code ANOMALY_MAX_EVENT_AGE}. */
  TIMESTAMP_TOO_OLD,
  /**
   * The event time is further behind the tenant's watermark (its newest event time, at most the
   * engine clock) than {@code ANOMALY_ALLOWED_LATENESS}: the windows no longer hold its time.
   */
  LATE,
  /** The engine already tracks {@code ANOMALY_MAX_TENANTS} tenants. */
  TENANT_LIMIT,
  /** The tenant already has {@code ANOMALY_MAX_SERVICES_PER_TENANT} active services. */
  SERVICE_LIMIT
}
