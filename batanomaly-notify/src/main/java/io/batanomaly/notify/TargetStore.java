package io.batanomaly.notify;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where the webhook targets and push subscriptions registered through
 * {@link NotificationTargets} are kept. The default, {@link #inMemory()}, loses them when the
 * process ends; a persistent implementation keeps them in a database.
 *
 * <p>Implementations must be thread-safe. The notifiers read the targets of a tenant once per
 * notification and look one up by id at each attempt, never per event; a failure is reported as
 * an unchecked exception, which the notifiers log and count.
 */
public interface TargetStore {

  /**
   * Adds a webhook target, replacing one with the same id.
   *
   * @param target the target
   */
  void putWebhook(WebhookTarget target);

  /**
   * Removes a webhook target.
   *
   * @param id its id
   * @return {@code true} if it was there
   */
  boolean removeWebhook(String id);

  /**
   * Finds a webhook target by id.
   *
   * @param id its id
   * @return the target, or empty
   */
  Optional<WebhookTarget> webhook(String id);

  /**
   * Returns the webhook targets whose audience includes a tenant: the tenant's own and the
   * all-tenant ones.
   *
   * @param tenant the tenant
   * @return the targets, in no particular order
   */
  List<WebhookTarget> webhooks(String tenant);

  /**
   * Adds a push subscription, replacing one with the same endpoint.
   *
   * @param target the subscription and its audience
   */
  void putSubscription(PushTarget target);

  /**
   * Removes a push subscription.
   *
   * @param endpoint its endpoint
   * @return {@code true} if it was there
   */
  boolean removeSubscription(URI endpoint);

  /**
   * Finds a push subscription by endpoint.
   *
   * @param endpoint its endpoint
   * @return the subscription, or empty
   */
  Optional<PushTarget> subscription(URI endpoint);

  /**
   * Returns the push subscriptions whose audience includes a tenant: the tenant's own and the
   * all-tenant ones.
   *
   * @param tenant the tenant
   * @return the subscriptions, in no particular order
   */
  List<PushTarget> subscriptions(String tenant);

  /**
   * Returns a store that keeps everything in memory, unbounded (the host registers targets;
   * nothing the traffic sends adds any).
   *
   * @return a new, empty store
   */
  static TargetStore inMemory() {
    return new InMemoryTargetStore();
  }
}
