package io.batanomaly.notify;

/**
 * Durable storage for notifications: where the registered targets are kept and the outboxes of
 * the notifiers. A {@link NotificationStoreProvider} opens one for an engine whose configuration
 * names a database, so the engine's notifiers keep targets, pending deliveries and dead letters
 * across a restart with no code.
 */
public interface NotificationStore {

  /**
   * Returns where per-tenant webhook targets and push subscriptions are kept.
   *
   * @return the target store
   */
  TargetStore targets();

  /**
   * Returns the outbox of one notifier.
   *
   * @param channel which notifier: {@code webhook} or {@code webpush}
   * @param deadLetterCap dead letters kept at most; beyond it the oldest are dropped
   * @return the outbox, {@linkplain Outbox#durable() durable}
   */
  Outbox outbox(String channel, int deadLetterCap);
}
