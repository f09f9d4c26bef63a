package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyListener;
import io.batanomaly.Setting;
import io.batanomaly.spi.NotifierContext;
import io.batanomaly.spi.NotifierProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates the notifiers of {@link NotifySettings} for an engine: a {@link WebhookNotifier} when
 * {@code ANOMALY_WEBHOOK_URLS} is set, and a {@link WebPushNotifier} when the VAPID keys are,
 * both on one {@link NotificationTargets} registry. Found with {@link java.util.ServiceLoader}
 * whenever this module is on the class path, so the settings alone switch the notifiers on, with
 * an in-memory registry and outboxes; the host reads them back with
 * {@code engine.notifier(WebhookNotifier.class)} and {@code engine.notifier(WebPushNotifier.class)}.
 *
 * <p>A host that keeps targets or deliveries in a database registers its own instance instead,
 * which takes the place of the discovered one:
 * {@code builder.notifier(NotifyProvider.builder().targets(registry).webhookOutbox(outbox).build())}.
 * Given a registry, the provider creates the webhook notifier even without
 * {@code ANOMALY_WEBHOOK_URLS}, for the targets registered per tenant.
 *
 * <p>Thread-safe.
 */
public final class NotifyProvider implements NotifierProvider {
  private final NotificationTargets targets;
  private final Outbox webhookOutbox;
  private final Outbox pushOutbox;

  /** Creates the provider of the settings alone; {@link java.util.ServiceLoader} calls this. */
  public NotifyProvider() {
    this(null, null, null);
  }

  private NotifyProvider(NotificationTargets targets, Outbox webhookOutbox, Outbox pushOutbox) {
    this.targets = targets;
    this.webhookOutbox = webhookOutbox;
    this.pushOutbox = pushOutbox;
  }

  /**
   * Starts a builder for a provider configured by the host.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return "notify";
  }

  @Override
  public List<Setting<?>> settings() {
    return NotifySettings.all();
  }

  @Override
  public List<String> check(AnomalyConfig config) {
    return NotifySettings.check(config);
  }

  @Override
  public List<AnomalyListener> create(NotifierContext context) {
    AnomalyConfig config = context.config();
    NotificationTargets registry = targets != null ? targets : NotificationTargets.inMemory();
    List<AnomalyListener> created = new ArrayList<>(2);
    if (targets != null || !config.get(NotifySettings.WEBHOOK_URLS).isEmpty()) {
      WebhookNotifier.Builder b = WebhookNotifier.configured(config).registry(registry)
          .clock(context.clock());
      if (webhookOutbox != null) {
        b.outbox(webhookOutbox);
      }
      created.add(b.build());
    }
    if (!config.get(NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY).isBlank()) {
      WebPushNotifier.Builder b = WebPushNotifier.configured(config).registry(registry)
          .clock(context.clock());
      if (pushOutbox != null) {
        b.outbox(pushOutbox);
      }
      created.add(b.build());
    }
    return created;
  }

  /** Builds a {@link NotifyProvider} configured by the host. Not thread-safe. */
  public static final class Builder {
    private NotificationTargets targets;
    private Outbox webhookOutbox;
    private Outbox pushOutbox;

    private Builder() {}

    /**
     * Sets the registry of per-tenant targets both notifiers share; with it the webhook
     * notifier is created even without {@code ANOMALY_WEBHOOK_URLS}.
     *
     * @param targets the registry
     * @return this builder
     */
    public Builder targets(NotificationTargets targets) {
      this.targets = Objects.requireNonNull(targets, "targets");
      return this;
    }

    /**
     * Sets the outbox of the webhook notifier (default: in memory).
     *
     * @param outbox the outbox
     * @return this builder
     */
    public Builder webhookOutbox(Outbox outbox) {
      this.webhookOutbox = Objects.requireNonNull(outbox, "outbox");
      return this;
    }

    /**
     * Sets the outbox of the Web Push notifier (default: in memory).
     *
     * @param outbox the outbox
     * @return this builder
     */
    public Builder pushOutbox(Outbox outbox) {
      this.pushOutbox = Objects.requireNonNull(outbox, "outbox");
      return this;
    }

    /**
     * Builds the provider; register it with {@code AnomalyEngine.Builder.notifier}.
     *
     * @return the provider
     */
    public NotifyProvider build() {
      return new NotifyProvider(targets, webhookOutbox, pushOutbox);
    }
  }
}
