package io.batanomaly.notify;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The registry of per-tenant notification targets: webhook receivers with their own secrets and
 * browsers' push subscriptions, each for one tenant or for every tenant. A host exposes it
 * behind its own authenticated endpoints; every method that changes or reads one tenant's
 * targets takes the audience, so one tenant can never see, replace or remove another's.
 *
 * <p>The targets are kept in a {@link TargetStore}: in memory by default
 * ({@link #inMemory()}), or in a database ({@link #on(TargetStore)}). The webhook and Web Push
 * notifiers given this registry read it at each notification, so a target registered now
 * receives the next notification of its tenant.
 *
 * <p>Thread-safe.
 */
public final class NotificationTargets {
  private final TargetStore store;

  private NotificationTargets(TargetStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Returns a registry kept in memory.
   *
   * @return a new, empty registry
   */
  public static NotificationTargets inMemory() {
    return new NotificationTargets(TargetStore.inMemory());
  }

  /**
   * Returns a registry kept in a store.
   *
   * @param store the store
   * @return the registry
   */
  public static NotificationTargets on(TargetStore store) {
    return new NotificationTargets(store);
  }

  /** @return the store the targets are kept in */
  public TargetStore store() {
    return store;
  }

  /**
   * Registers a webhook receiver with a new id and a new secret; give the secret to the
   * receiver, which verifies deliveries with it.
   *
   * @param audience one tenant or every tenant
   * @param url an absolute http or https URL
   * @return the target, with its id and secret
   * @throws IllegalArgumentException if the URL is not an absolute http or https URL
   */
  public WebhookTarget addWebhook(Audience audience, URI url) {
    return addWebhook(audience, url, WebhookSignature.newSecret());
  }

  /**
   * Registers a webhook receiver with a new id and a secret of the host's choosing.
   *
   * @param audience one tenant or every tenant
   * @param url an absolute http or https URL
   * @param secret {@code whsec_} and the base64 of 24 to 64 bytes
   * @return the target, with its id
   * @throws IllegalArgumentException if the URL is not an absolute http or https URL or the
   *     secret is not written as Standard Webhooks says
   */
  public WebhookTarget addWebhook(Audience audience, URI url, String secret) {
    WebhookTarget target = new WebhookTarget("wh_" + UUID.randomUUID(), audience, url, secret);
    store.putWebhook(target);
    return target;
  }

  /**
   * Removes a webhook receiver of an audience. Deliveries to it still waiting are dropped at
   * their next attempt.
   *
   * @param audience the audience it was registered for
   * @param id its id
   * @return {@code true} if it was registered for that audience and is now removed
   */
  public boolean removeWebhook(Audience audience, String id) {
    Optional<WebhookTarget> t = store.webhook(id);
    return t.isPresent() && t.get().audience().equals(audience) && store.removeWebhook(id);
  }

  /**
   * Returns the webhook receivers registered for exactly one audience (for a tenant, its own;
   * not the all-tenant ones).
   *
   * @param audience the audience
   * @return the targets
   */
  public List<WebhookTarget> webhooks(Audience audience) {
    String tenant = audience.isAllTenants() ? "" : audience.tenant();
    return store.webhooks(tenant).stream().filter(t -> t.audience().equals(audience)).toList();
  }

  /**
   * Registers a browser's push subscription, replacing one with the same endpoint.
   *
   * @param audience one tenant or every tenant
   * @param subscription the subscription
   * @return the registered target
   */
  public PushTarget subscribe(Audience audience, PushSubscription subscription) {
    PushTarget target = new PushTarget(audience, subscription);
    store.putSubscription(target);
    return target;
  }

  /**
   * Removes a push subscription of an audience.
   *
   * @param audience the audience it was registered for
   * @param endpoint its endpoint
   * @return {@code true} if it was registered for that audience and is now removed
   */
  public boolean unsubscribe(Audience audience, URI endpoint) {
    Optional<PushTarget> t = store.subscription(endpoint);
    return t.isPresent() && t.get().audience().equals(audience)
        && store.removeSubscription(endpoint);
  }

  /**
   * Returns the push subscriptions registered for exactly one audience.
   *
   * @param audience the audience
   * @return the subscriptions
   */
  public List<PushTarget> subscriptions(Audience audience) {
    String tenant = audience.isAllTenants() ? "" : audience.tenant();
    return store.subscriptions(tenant).stream().filter(t -> t.audience().equals(audience))
        .toList();
  }
}
