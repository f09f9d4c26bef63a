package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyListener;
import io.batanomaly.Setting;
import io.batanomaly.spi.NotifierContext;
import io.batanomaly.spi.NotifierProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates the notifiers of {@link NotifySettings} for an engine: a {@link WebhookNotifier} when
 * {@code ANOMALY_WEBHOOK_URLS} is set, and a {@link WebPushNotifier} when the VAPID keys are,
 * both on one {@link NotificationTargets} registry. Found with {@link java.util.ServiceLoader}
 * whenever this module is on the class path, so the settings alone switch the notifiers on, with
 * an in-memory registry and outboxes; the host reads them back with
 * {@code engine.notifier(WebhookNotifier.class)} and {@code engine.notifier(WebPushNotifier.class)}.
 *
 * <p>When a {@link NotificationStoreProvider} on the class path opens a store for the engine's
 * configuration (with {@code batanomaly-jdbc}: {@code ANOMALY_JDBC_URL}), the registry and both
 * outboxes are kept there, and the webhook notifier is created even without
 * {@code ANOMALY_WEBHOOK_URLS}, for the targets registered per tenant.
 *
 * <p>A host that keeps targets or deliveries elsewhere registers its own instance instead,
 * which takes the place of the discovered one:
 * {@code builder.notifier(NotifyProvider.builder().targets(registry).webhookOutbox(outbox).build())}.
 * Given a registry, the provider creates the webhook notifier even without
 * {@code ANOMALY_WEBHOOK_URLS}, for the targets registered per tenant.
 *
 * <p>Thread-safe.
 */
public final class NotifyProvider implements NotifierProvider {
  /** The channel name of the webhook notifier's outbox in a {@link NotificationStore}. */
  public static final String WEBHOOK_CHANNEL = "webhook";

  /** The channel name of the Web Push notifier's outbox in a {@link NotificationStore}. */
  public static final String WEBPUSH_CHANNEL = "webpush";

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
    boolean configuredByHost = targets != null || webhookOutbox != null || pushOutbox != null;
    NotificationStore store = configuredByHost ? null : discoverStore(context);
    NotificationTargets registry = targets != null ? targets
        : store != null ? NotificationTargets.on(store.targets())
        : NotificationTargets.inMemory();
    int cap = config.get(NotifySettings.WEBHOOK_DEAD_LETTER_CAP);
    List<AnomalyListener> created = new ArrayList<>(2);
    if (targets != null || store != null
        || !config.get(NotifySettings.WEBHOOK_URLS).isEmpty()) {
      WebhookNotifier.Builder b = WebhookNotifier.configured(config).registry(registry)
          .clock(context.clock());
      Outbox outbox = webhookOutbox != null ? webhookOutbox
          : store != null ? store.outbox(WEBHOOK_CHANNEL, cap) : null;
      if (outbox != null) {
        b.outbox(outbox);
      }
      created.add(b.build());
    }
    if (!config.get(NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY).isBlank()) {
      WebPushNotifier.Builder b = WebPushNotifier.configured(config).registry(registry)
          .clock(context.clock());
      Outbox outbox = pushOutbox != null ? pushOutbox
          : store != null ? store.outbox(WEBPUSH_CHANNEL, cap) : null;
      if (outbox != null) {
        b.outbox(outbox);
      }
      created.add(b.build());
    }
    return created;
  }

  /** Asks the {@link NotificationStoreProvider}s on the class path; at most one may answer. */
  private static NotificationStore discoverStore(NotifierContext context) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = NotifyProvider.class.getClassLoader();
    }
    NotificationStore chosen = null;
    NotificationStoreProvider chosenBy = null;
    for (NotificationStoreProvider p : ServiceLoader.load(NotificationStoreProvider.class,
        loader)) {
      Optional<NotificationStore> store = p.open(context);
      if (store.isPresent()) {
        if (chosen != null) {
          throw new IllegalStateException("Two notification stores are configured: "
              + chosenBy.getClass().getName() + " and " + p.getClass().getName()
              + "; configure one");
        }
        chosen = store.get();
        chosenBy = p;
      }
    }
    return chosen;
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
