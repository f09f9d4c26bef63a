package io.batanomaly.spi;

import io.batanomaly.api.Anomaly;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Stores anomalies. The engine keeps every anomaly as an immutable {@link Anomaly} snapshot and
 * changes one by compare-and-set ({@link #replace}), so a store with optimistic locking (a JDBC
 * {@code UPDATE … WHERE id = ? AND version = ?}) can implement it without touching the engine.
 *
 * <p>Implementations are thread-safe. The default keeps anomalies in memory, bounded per tenant.
 */
public interface AnomalyRepository {

  /**
   * Stores a new anomaly.
   *
   * @param anomaly the anomaly, with an id not stored before
   */
  void insert(Anomaly anomaly);

  /**
   * Replaces an anomaly if it is still exactly {@code expected}.
   *
   * @param expected the snapshot the change was computed from
   * @param updated the new snapshot, same id and tenant
   * @return {@code true} if replaced, {@code false} if the stored anomaly has changed meanwhile
   *     (or is gone)
   */
  boolean replace(Anomaly expected, Anomaly updated);

  /**
   * Finds an anomaly of a tenant.
   *
   * @param tenant the tenant
   * @param id the id
   * @return the anomaly, or empty if the tenant has none with that id
   */
  Optional<Anomaly> find(String tenant, String id);

  /**
   * Lists a tenant's anomalies detected at or after {@code detectedSince}, newest first.
   *
   * @param tenant the tenant
   * @param type only this type, or {@code null} for all
   * @param detectedSince the earliest detection time
   * @return the matches, newest first
   */
  List<Anomaly> list(String tenant, String type, Instant detectedSince);

  /**
   * Removes anomalies past retention. Called on engine ticks.
   *
   * @param now the engine clock
   */
  default void expire(Instant now) {}
}
