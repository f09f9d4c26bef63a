package io.batanomaly.spi;

/**
 * One tenant the engine tracks, with the detectors' per-tenant state. Thread-safe.
 */
public interface TenantScope {

  /** @return the tenant id */
  String tenant();

  /**
   * Returns a detector's state for this tenant, creating it on first access.
   *
   * @param attachment the key, from {@link DetectorContext#tenantAttachment}
   * @param <T> the state type
   * @return the state
   */
  <T> T get(Attachment<T> attachment);

  /**
   * Returns the tenant's watermark: the largest event time seen for this tenant, but never
   * later than the engine clock was when the event arrived (an event from a producer whose
   * clock runs ahead is accepted within {@code ANOMALY_MAX_FUTURE_SKEW} without moving it
   * further). While a batch naming the tenant is being ingested, the watermark may lag the
   * batch's newest event by up to half of {@code ANOMALY_ALLOWED_LATENESS} (at least one
   * millisecond), as it is published in steps rather than per event; it is up to date once the
   * ingest call has returned.
   *
   * @return epoch milliseconds, or {@link Long#MIN_VALUE} before the first event
   */
  long maxEventTime();

  /**
   * Visits the services currently tracked for this tenant.
   *
   * @param visitor receives each service scope
   */
  void forEachService(java.util.function.Consumer<ServiceScope> visitor);
}
