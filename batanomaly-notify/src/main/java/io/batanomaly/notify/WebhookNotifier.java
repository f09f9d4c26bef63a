package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyNotification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Posts every notification, signed as Standard Webhooks says, to the receivers of its tenant and
 * to the all-tenant receivers, and retries until each accepts it or it is given up into the
 * dead-letter list.
 *
 * <p><b>Routing.</b> A notification about tenant T goes to the targets registered in
 * {@link #targets()} for T, to those registered for every tenant, and to the fixed all-tenant
 * targets of the builder ({@code ANOMALY_WEBHOOK_URLS}, signed with
 * {@code ANOMALY_WEBHOOK_SECRET}); never to another tenant's. Each target is signed with its own
 * secret.
 *
 * <p><b>Format.</b> Each notification gets one delivery id (a random UUID), sent in the
 * {@value WebhookSignature#ID_HEADER} header and as {@code deliveryId} in the body, and kept by
 * every retry, replay and restart, so a receiver deduplicates on it. Every attempt is signed as
 * {@link WebhookSignature} describes. Answers are treated so: 2xx delivered; 429 and 503 retried
 * after their {@code Retry-After} (seconds or an HTTP-date), or with backoff when it is absent;
 * 408, 425, other 5xx, timeouts and connection failures retried with backoff; any other status
 * refused at once. {@link RetryPolicy} gives the backoff and the give-up rules.
 *
 * <p><b>Outbox.</b> A delivery is recorded in the {@link Outbox} before its first attempt and
 * stays there until acknowledged or given up; given up, it becomes a dead letter: read them with
 * {@link #deadLetters()}, send them again with {@link #replay(String)} or {@link #replayAll()}.
 * With a durable outbox, deliveries pending when the process stopped are resumed when the
 * notifier is built again.
 *
 * <p>{@link #onNotification} only queues the deliveries and returns; the attempts run on the
 * {@link DeliveryScheduler}. With {@code batanomaly-notify} on the class path the engine creates
 * one whenever {@code ANOMALY_WEBHOOK_URLS} is set, and returns it from
 * {@code engine.notifier(WebhookNotifier.class)}.
 *
 * <p>Thread-safe. {@link #close()} stops the attempts, as {@link HttpNotifier#close()} says.
 */
public final class WebhookNotifier extends HttpNotifier {
  private static final String FIXED_PREFIX = "settings:";

  private final Map<String, WebhookTarget> fixed;
  private final NotificationTargets registry;

  private WebhookNotifier(Builder b) {
    super(b, "Webhook", "batanomaly-webhook");
    Map<String, WebhookTarget> f = new LinkedHashMap<>();
    for (URI url : b.urls) {
      String id = FIXED_PREFIX + url;
      f.put(id, new WebhookTarget(id, Audience.allTenants(), url, b.secret));
    }
    this.fixed = Collections.unmodifiableMap(f);
    this.registry = b.registry != null ? b.registry : NotificationTargets.inMemory();
    start();
  }

  /**
   * Starts a builder with the documented defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates a notifier from the {@code ANOMALY_WEBHOOK_*} settings, on the system clock.
   *
   * @param config the configuration
   * @return the notifier
   * @throws IllegalArgumentException if a webhook setting is invalid or the secret is missing
   *     while URLs are set; the message names the key and the value given
   */
  public static WebhookNotifier fromConfig(AnomalyConfig config) {
    return fromConfig(config, InstantSource.system());
  }

  /**
   * Creates a notifier from the {@code ANOMALY_WEBHOOK_*} settings, with an in-memory registry
   * and outbox.
   *
   * @param config the configuration
   * @param clock the clock for timestamps and ages (the engine's clock)
   * @return the notifier
   * @throws IllegalArgumentException if a webhook setting is invalid or the secret is missing
   *     while URLs are set; the message names the key and the value given
   */
  public static WebhookNotifier fromConfig(AnomalyConfig config, InstantSource clock) {
    return configured(config).clock(clock).build();
  }

  /**
   * Starts a builder set from the {@code ANOMALY_WEBHOOK_*} settings; the caller may still set
   * the registry, outbox, clock or scheduler.
   *
   * @param config the configuration
   * @return the builder
   * @throws IllegalArgumentException if a webhook setting is invalid; the message names the key
   *     and the value given
   */
  public static Builder configured(AnomalyConfig config) {
    List<String> errors = NotifySettings.errors(config);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    Builder b = builder().deliverySettings(config);
    if (!config.get(NotifySettings.WEBHOOK_URLS).isEmpty()) {
      b.targets(config.get(NotifySettings.WEBHOOK_URLS))
          .secret(config.get(NotifySettings.WEBHOOK_SECRET));
    }
    return b;
  }

  /**
   * Queues one delivery per target of the notification's tenant, all with one new delivery id,
   * and returns.
   *
   * @param notification the notification
   */
  @Override
  public void onNotification(AnomalyNotification notification) {
    String tenant = notification.anomaly().tenant();
    Set<String> ids = new LinkedHashSet<>(fixed.keySet());
    for (WebhookTarget t : registeredTargets(tenant, registry)) {
      if (t.audience().includes(tenant)) {
        ids.add(t.id());
      }
    }
    if (ids.isEmpty()) {
      return;
    }
    String id = UUID.randomUUID().toString();
    submit(notification, id, NotificationBody.webhook(notification, id), ids);
  }

  @Override
  Deliveries.Result attempt(Deliveries.Delivery d) throws InterruptedException {
    WebhookTarget t = fixed.get(d.targetId);
    if (t == null) {
      Optional<WebhookTarget> registered = registry.store().webhook(d.targetId);
      if (registered.isEmpty() || !registered.get().audience().includes(d.tenant)) {
        return new Deliveries.Result(Deliveries.Outcome.GONE, 0, null,
            "the target is no longer registered");
      }
      t = registered.get();
    }
    long ts = deliveries.clock().instant().getEpochSecond();
    return send(request(t.url())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "batanomaly-webhook/2")
        .header(WebhookSignature.ID_HEADER, d.id)
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookSignature.SIGNATURE_HEADER,
            WebhookSignature.sign(t.secret(), d.id, ts, d.body))
        .header("Batanomaly-Event", d.event)
        .header("Batanomaly-Attempt", Integer.toString(d.attempts))
        .POST(HttpRequest.BodyPublishers.ofString(d.body, StandardCharsets.UTF_8))
        .build());
  }

  /** @return the fixed all-tenant receivers of the builder, in the order they were given */
  public List<URI> fixedTargets() {
    List<URI> urls = new ArrayList<>();
    fixed.values().forEach(t -> urls.add(t.url()));
    return urls;
  }

  /** @return the registry of per-tenant (and registered all-tenant) receivers */
  public NotificationTargets targets() {
    return registry;
  }

  /**
   * Builds a {@link WebhookNotifier}; the timeouts, retry policy, bounds, clock, scheduler and
   * outbox are set as for every notifier of this package. Not thread-safe.
   */
  public static final class Builder extends HttpNotifierBuilder<Builder> {
    private final List<URI> urls = new ArrayList<>();
    private String secret;
    private NotificationTargets registry;

    private Builder() {}

    /**
     * Adds a fixed receiver of every tenant's notifications, signed with {@link #secret}.
     *
     * @param url an absolute http or https URL
     * @return this builder
     * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL
     */
    public Builder target(URI url) {
      Objects.requireNonNull(url, "url");
      if (!isHttpUrl(url)) {
        throw new IllegalArgumentException(
            "a webhook target must be an absolute http or https URL, but was '" + url + "'");
      }
      if (!urls.contains(url)) {
        urls.add(url);
      }
      return this;
    }

    /**
     * Adds fixed receivers of every tenant's notifications.
     *
     * @param targets absolute http or https URLs
     * @return this builder
     * @throws IllegalArgumentException if one is not an absolute http or https URL
     */
    public Builder targets(List<URI> targets) {
      targets.forEach(this::target);
      return this;
    }

    /**
     * Sets the secret that signs deliveries to the fixed receivers.
     *
     * @param secret {@code whsec_} and the base64 of 24 to 64 bytes
     * @return this builder
     */
    public Builder secret(String secret) {
      this.secret = secret;
      return this;
    }

    /**
     * Sets the registry of per-tenant receivers (default: a new, empty in-memory one). The Web
     * Push notifier may share it.
     *
     * @param registry the registry
     * @return this builder
     */
    public Builder registry(NotificationTargets registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Builds the notifier and resumes the deliveries its outbox holds as pending.
     *
     * @return the notifier
     * @throws IllegalArgumentException if fixed receivers are given without a valid secret
     */
    public WebhookNotifier build() {
      if (!urls.isEmpty()) {
        if (secret == null || secret.isBlank()) {
          throw new IllegalArgumentException(
              "the webhook signing secret must not be blank, but was '" + secret + "'");
        }
        String problem = WebhookSignature.problem(secret);
        if (problem != null) {
          throw new IllegalArgumentException("the webhook signing secret " + problem
              + ", but was '" + WebhookSignature.masked(secret) + "'");
        }
      }
      return new WebhookNotifier(this);
    }
  }
}
