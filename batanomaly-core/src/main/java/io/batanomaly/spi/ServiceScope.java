package io.batanomaly.spi;

/**
 * One service of one tenant the engine tracks, with the detectors' per-service state. Resolved
 * once per event by the engine so detectors share one lookup. Thread-safe.
 */
public interface ServiceScope {

  /** @return the tenant this service belongs to */
  TenantScope tenantScope();

  /** @return the tenant id */
  default String tenant() {
    return tenantScope().tenant();
  }

  /** @return the service name */
  String service();

  /**
   * Returns a detector's state for this service, creating it on first access.
   *
   * @param attachment the key, from {@link DetectorContext#serviceAttachment}
   * @param <T> the state type
   * @return the state
   */
  <T> T get(Attachment<T> attachment);

  /**
   * Returns when, by the engine clock, an event of this service was last accepted: processing
   * time, not event time.
   *
   * @return epoch milliseconds
   */
  long lastSeenMillis();

  /**
   * Returns when, by the engine clock, this service was first tracked.
   *
   * @return epoch milliseconds
   */
  long firstSeenMillis();
}
