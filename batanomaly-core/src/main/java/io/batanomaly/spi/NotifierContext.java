package io.batanomaly.spi;

import io.batanomaly.AnomalyConfig;
import java.time.InstantSource;
import java.util.Optional;

/** What a {@link NotifierProvider} gets to build its notifiers. */
public interface NotifierContext {

  /** @return the engine configuration, already validated */
  AnomalyConfig config();

  /** @return the engine clock, for timestamps and the ages of deliveries */
  InstantSource clock();

  /**
   * Returns the engine's anomaly store when it is not the in-memory default: the one an
   * {@link AnomalyStoreProvider} opened from the configuration (such as
   * {@code ANOMALY_JDBC_URL}) or the one the host passed to the builder. A notifier may keep its
   * own durable state in the same database.
   *
   * @return the store, or empty when the engine keeps anomalies in memory
   */
  Optional<AnomalyStore> store();
}
