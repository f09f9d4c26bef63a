package io.batanomaly.jdbc;

import io.batanomaly.jdbc.internal.Dialect;
import io.batanomaly.jdbc.internal.JdbcOutbox;
import io.batanomaly.jdbc.internal.JdbcTargetStore;
import io.batanomaly.jdbc.internal.Sql;
import io.batanomaly.notify.NotificationStore;
import io.batanomaly.notify.Outbox;
import io.batanomaly.notify.TargetStore;
import java.util.Locale;
import java.util.Objects;

/**
 * The notifications of {@code batanomaly-notify} kept in the database of a {@link JdbcStore}:
 * per-tenant webhook targets and push subscriptions, and each notifier's outbox (pending
 * deliveries and dead letters), in the tables of {@code V2__notification_outbox.sql}. Needs
 * {@code batanomaly-notify} on the class path (an optional dependency of this module).
 *
 * <p>With {@code ANOMALY_JDBC_URL} set and both modules on the class path, the engine's
 * notifiers use it with no code ({@link JdbcNotificationStoreProvider}); a host that builds its
 * own store passes it to {@code NotifyProvider.builder()}:
 *
 * <pre>{@code
 * JdbcNotificationStore kept = JdbcNotificationStore.on(store);
 * builder.notifier(NotifyProvider.builder()
 *     .targets(NotificationTargets.on(kept.targets()))
 *     .webhookOutbox(kept.outbox(NotifyProvider.WEBHOOK_CHANNEL, 1000))
 *     .build());
 * }</pre>
 *
 * <p>Instances on one database share its outboxes: one that starts takes up every pending
 * delivery, including those another running instance is still retrying, which may then be sent
 * by both under one delivery id (receivers deduplicate on {@code webhook-id}). Thread-safe.
 */
public final class JdbcNotificationStore implements NotificationStore {
  private final Sql sql;
  private final TargetStore targets;

  private JdbcNotificationStore(JdbcStore store) {
    Dialect dialect = Dialect.valueOf(store.databaseKind().toUpperCase(Locale.ROOT));
    this.sql = new Sql(store.dataSource(), dialect);
    this.targets = new JdbcTargetStore(sql);
  }

  /**
   * Returns the notification store in a {@link JdbcStore}'s database, whose schema the store
   * migrated.
   *
   * @param store the anomaly store
   * @return the notification store
   */
  public static JdbcNotificationStore on(JdbcStore store) {
    return new JdbcNotificationStore(Objects.requireNonNull(store, "store"));
  }

  @Override
  public TargetStore targets() {
    return targets;
  }

  /**
   * Returns the durable outbox of one notifier.
   *
   * @param channel the notifier, such as {@code webhook}; at most 16 characters
   * @param deadLetterCap dead letters kept at most
   * @return the outbox
   * @throws IllegalArgumentException if the channel is blank or longer, or the cap is below 1
   */
  @Override
  public Outbox outbox(String channel, int deadLetterCap) {
    if (channel == null || channel.isBlank() || channel.length() > 16) {
      throw new IllegalArgumentException("an outbox channel must be 1 to 16 characters, but was '"
          + channel + "'");
    }
    return new JdbcOutbox(sql, channel, deadLetterCap);
  }
}
