package io.batanomaly.jdbc;

import io.batanomaly.notify.NotificationStore;
import io.batanomaly.notify.NotificationStoreProvider;
import io.batanomaly.spi.NotifierContext;
import java.util.Optional;

/**
 * Keeps the engine's notification targets and outboxes in its {@link JdbcStore} when it has one
 * (with {@code ANOMALY_JDBC_URL} set, or passed to the builder). Found by {@code NotifyProvider}
 * with {@link java.util.ServiceLoader}; needs {@code batanomaly-notify} on the class path.
 */
public final class JdbcNotificationStoreProvider implements NotificationStoreProvider {

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public JdbcNotificationStoreProvider() {}

  @Override
  public Optional<NotificationStore> open(NotifierContext context) {
    return context.store().filter(JdbcStore.class::isInstance)
        .map(s -> JdbcNotificationStore.on((JdbcStore) s));
  }
}
