package io.batanomaly.notify;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link TargetStore#inMemory()}: two concurrent maps. Thread-safe. */
final class InMemoryTargetStore implements TargetStore {
  private final Map<String, WebhookTarget> webhooks = new ConcurrentHashMap<>();
  private final Map<URI, PushTarget> subscriptions = new ConcurrentHashMap<>();

  @Override
  public void putWebhook(WebhookTarget target) {
    webhooks.put(target.id(), target);
  }

  @Override
  public boolean removeWebhook(String id) {
    return webhooks.remove(id) != null;
  }

  @Override
  public Optional<WebhookTarget> webhook(String id) {
    return Optional.ofNullable(webhooks.get(id));
  }

  @Override
  public List<WebhookTarget> webhooks(String tenant) {
    return webhooks.values().stream().filter(t -> t.audience().includes(tenant)).toList();
  }

  @Override
  public void putSubscription(PushTarget target) {
    subscriptions.put(target.subscription().endpoint(), target);
  }

  @Override
  public boolean removeSubscription(URI endpoint) {
    return subscriptions.remove(endpoint) != null;
  }

  @Override
  public Optional<PushTarget> subscription(URI endpoint) {
    return Optional.ofNullable(subscriptions.get(endpoint));
  }

  @Override
  public List<PushTarget> subscriptions(String tenant) {
    return subscriptions.values().stream().filter(t -> t.audience().includes(tenant)).toList();
  }
}
