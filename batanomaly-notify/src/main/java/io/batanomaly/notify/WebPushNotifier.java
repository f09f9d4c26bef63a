package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyNotification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every notification as a Web Push message (RFC 8030) to the browsers the host has
 * subscribed, encrypted for each (RFC 8291, {@code aes128gcm}) and authenticated with VAPID
 * (RFC 8292).
 *
 * <p>The host registers each subscription (the endpoint, {@code p256dh} and {@code auth} a
 * browser's {@code PushSubscription} gives) for one tenant, or for every tenant, in the registry
 * {@link #targets()}, for instance from an endpoint its front end posts to. A notification about
 * tenant T goes to T's subscriptions and the all-tenant ones, never to another tenant's. Each notification becomes a small JSON message ({@code deliveryId},
 * {@code event}, {@code title}, {@code body}, {@code anomalyId}, {@code tenant}, {@code type},
 * {@code severity}, {@code status}) encrypted afresh per subscription, sent with
 * {@code TTL}, {@code Urgency: high} and {@code Content-Encoding: aes128gcm}. A push service that
 * answers 404 or 410 says the subscription is gone: it is removed. Other answers follow the
 * same rules and {@link RetryPolicy} as webhooks, ending in a dead-letter list (holding the
 * plaintext message) that the host can read and replay; a replayed message is encrypted afresh
 * and sent only to subscriptions still registered. {@link DeliveryStats#gone()} counts the
 * messages whose subscription the push service reported gone.
 *
 * <p>Thread-safe. {@link #onNotification} only queues deliveries; attempts run on the
 * {@link DeliveryScheduler}.
 */
public final class WebPushNotifier extends HttpNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(WebPushNotifier.class);

  private final VapidKeys keys;
  private final String subject;
  private final Duration ttl;
  private final SecureRandom secureRandom = new SecureRandom();
  private final NotificationTargets registry;

  private WebPushNotifier(Builder b) {
    super(b, "Web Push", "batanomaly-webpush");
    this.keys = b.keys;
    this.subject = b.subject;
    this.ttl = b.ttl;
    this.registry = b.registry != null ? b.registry : NotificationTargets.inMemory();
    start();
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates a notifier from the {@code ANOMALY_WEBPUSH_*} settings (and the
   * {@code ANOMALY_WEBHOOK_*} timeouts and retry policy), on the system clock.
   *
   * @param config the configuration
   * @return the notifier, with no subscriptions yet
   * @throws IllegalArgumentException if a setting is invalid, or the VAPID keys or the subject
   *     are missing; the message names the key and the value given
   */
  public static WebPushNotifier fromConfig(AnomalyConfig config) {
    return fromConfig(config, InstantSource.system());
  }

  /**
   * Creates a notifier from the {@code ANOMALY_WEBPUSH_*} settings (and the
   * {@code ANOMALY_WEBHOOK_*} timeouts and retry policy).
   *
   * @param config the configuration
   * @param clock the clock for token expiry and ages (the engine's clock)
   * @return the notifier, with no subscriptions yet
   * @throws IllegalArgumentException if a setting is invalid, or the VAPID keys or the subject
   *     are missing; the message names the key and the value given
   */
  public static WebPushNotifier fromConfig(AnomalyConfig config, InstantSource clock) {
    return configured(config).clock(clock).build();
  }

  /**
   * Starts a builder set from the {@code ANOMALY_WEBPUSH_*} settings (and the
   * {@code ANOMALY_WEBHOOK_*} timeouts and retry policy); the caller may still set the registry,
   * outbox, clock or scheduler.
   *
   * @param config the configuration
   * @return the builder
   * @throws IllegalArgumentException if a setting is invalid, or the VAPID keys or the subject
   *     are missing; the message names the key and the value given
   */
  public static Builder configured(AnomalyConfig config) {
    List<String> errors = NotifySettings.errors(config);
    if (errors.isEmpty() && config.get(NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY).isBlank()) {
      errors = List.of(NotifySettings.WEBPUSH_VAPID_PUBLIC_KEY.key() + " and "
          + NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY.key() + " must be set for Web Push, but"
          + " were empty");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return builder()
        .vapidKeys(VapidKeys.of(config.get(NotifySettings.WEBPUSH_VAPID_PUBLIC_KEY),
            config.get(NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY)))
        .subject(config.get(NotifySettings.WEBPUSH_SUBJECT))
        .ttl(config.get(NotifySettings.WEBPUSH_TTL))
        .deliverySettings(config);
  }

  /** @return the registry the subscriptions are kept in (shared with webhooks if so built) */
  public NotificationTargets targets() {
    return registry;
  }

  /** @return the VAPID public key browsers subscribe with ({@code applicationServerKey}) */
  public String applicationServerKey() {
    return keys.publicKeyBase64Url();
  }

  /**
   * Queues one message per subscription, all with one new delivery id, and returns.
   *
   * @param notification the notification
   */
  @Override
  public void onNotification(AnomalyNotification notification) {
    String tenant = notification.anomaly().tenant();
    List<String> endpoints = new ArrayList<>();
    for (PushTarget t : registeredSubscriptions(tenant, registry)) {
      if (t.audience().includes(tenant)) {
        endpoints.add(t.subscription().endpoint().toString());
      }
    }
    if (endpoints.isEmpty()) {
      return;
    }
    String id = UUID.randomUUID().toString();
    submit(notification, id,
        NotificationBody.push(notification, id, WebPushCrypto.MAX_PLAINTEXT), endpoints);
  }

  @Override
  Deliveries.Result attempt(Deliveries.Delivery d) throws InterruptedException {
    URI endpoint = URI.create(d.targetId);
    Optional<PushTarget> target = registry.store().subscription(endpoint);
    if (target.isEmpty() || !target.get().audience().includes(d.tenant)) {
      return new Deliveries.Result(Deliveries.Outcome.GONE, 0, null, "unsubscribed");
    }
    PushSubscription sub = target.get().subscription();
    byte[] salt = new byte[16];
    secureRandom.nextBytes(salt);
    byte[] body = WebPushCrypto.encrypt(d.body.getBytes(StandardCharsets.UTF_8),
        sub.publicKey(), sub.authSecret(), P256.generate(), salt);
    Deliveries.Result r = send(request(endpoint)
        .header("TTL", Long.toString(ttl.toSeconds()))
        .header("Urgency", "high")
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("Authorization",
            Vapid.authorization(keys, endpoint, subject, deliveries.clock().instant()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build());
    if (r.status() == 404 || r.status() == 410) {
      return new Deliveries.Result(Deliveries.Outcome.GONE, r.status(), null,
          "subscription gone (HTTP " + r.status() + ")");
    }
    return r;
  }

  @Override
  void gone(Deliveries.Delivery d) {
    if (d.lastStatus == 404 || d.lastStatus == 410) {
      try {
        if (registry.store().removeSubscription(URI.create(d.targetId))) {
          LOG.info("Push subscription {} removed: {}", d.targetId, d.lastReason);
        }
      } catch (RuntimeException e) {
        LOG.warn("Push subscription {} is gone but could not be removed", d.targetId, e);
      }
    }
  }

  /**
   * Builds a {@link WebPushNotifier}; the timeouts, retry policy, bounds, clock and scheduler
   * are set as for every notifier of this package. Not thread-safe.
   */
  public static final class Builder extends HttpNotifierBuilder<Builder> {
    private VapidKeys keys;
    private String subject;
    private Duration ttl = NotifySettings.WEBPUSH_TTL.defaultValue();
    private NotificationTargets registry;

    private Builder() {}

    /**
     * Sets the VAPID key pair (required).
     *
     * @param keys the keys
     * @return this builder
     */
    public Builder vapidKeys(VapidKeys keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Sets the contact push services may reach (required): a {@code mailto:} or {@code https:}
     * URL.
     *
     * @param subject the contact
     * @return this builder
     */
    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    /**
     * Sets how long a push service keeps a message for an offline browser (default 24 h).
     *
     * @param ttl a positive duration, sent in whole seconds
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder ttl(Duration ttl) {
      this.ttl = positive("ttl", ttl);
      return this;
    }

    /**
     * Sets the registry of subscriptions (default: a new, empty in-memory one). The webhook
     * notifier may share it.
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
     * @throws NullPointerException if no VAPID keys were given
     * @throws IllegalArgumentException if the subject is not a mailto: or https: URL
     */
    public WebPushNotifier build() {
      Objects.requireNonNull(keys, "VAPID keys must be given");
      if (!Vapid.isSubject(subject)) {
        throw new IllegalArgumentException(
            "the VAPID subject must be a mailto: or https: URL, but was '" + subject + "'");
      }
      return new WebPushNotifier(this);
    }
  }
}
