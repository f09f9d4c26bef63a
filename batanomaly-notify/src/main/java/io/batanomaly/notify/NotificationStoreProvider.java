package io.batanomaly.notify;

import io.batanomaly.spi.NotifierContext;
import java.util.Optional;

/**
 * Opens a {@link NotificationStore} for an engine when its configuration names one (such as the
 * database of {@code ANOMALY_JDBC_URL}). {@link NotifyProvider} asks every provider
 * {@link java.util.ServiceLoader} finds (list the class in
 * {@code META-INF/services/io.batanomaly.notify.NotificationStoreProvider}) unless the host gave
 * it a registry or an outbox itself; at most one may answer.
 *
 * <p>Implementations need a public no-argument constructor.
 */
public interface NotificationStoreProvider {

  /**
   * Opens the store for an engine, or answers that the configuration names none.
   *
   * @param context the engine's configuration, clock and anomaly store
   * @return the store, or empty
   */
  Optional<NotificationStore> open(NotifierContext context);
}
