package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyNotification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every notification as a Web Push message (RFC 8030) to the browsers the host has
 * subscribed, encrypted for each (RFC 8291, {@code aes128gcm}) and authenticated with VAPID
 * (RFC 8292).
 *
 * <p>The host registers subscriptions with {@link #subscribe} (the endpoint, {@code p256dh} and
 * {@code auth} a browser's {@code PushSubscription} gives), for instance from an endpoint its
 * front end posts to. Each notification becomes a small JSON message ({@code deliveryId},
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
  private final Map<URI, PushSubscription> subscriptions = new ConcurrentHashMap<>();

  private WebPushNotifier(Builder b) {
    super(b, "Web Push", "batanomaly-webpush");
    this.keys = b.keys;
    this.subject = b.subject;
    this.ttl = b.ttl;
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
        .deliverySettings(config)
        .clock(clock)
        .build();
  }

  /**
   * Registers a subscription, replacing any with the same endpoint.
   *
   * @param subscription the subscription
   */
  public void subscribe(PushSubscription subscription) {
    Objects.requireNonNull(subscription, "subscription");
    subscriptions.put(subscription.endpoint(), subscription);
  }

  /**
   * Removes a subscription.
   *
   * @param endpoint its endpoint
   * @return {@code true} if it was registered
   */
  public boolean unsubscribe(URI endpoint) {
    return subscriptions.remove(endpoint) != null;
  }

  /** @return the registered subscriptions, in no particular order */
  public List<PushSubscription> subscriptions() {
    return List.copyOf(subscriptions.values());
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
    String id = UUID.randomUUID().toString();
    submit(notification, id,
        NotificationBody.push(notification, id, WebPushCrypto.MAX_PLAINTEXT),
        subscriptions.keySet());
  }

  @Override
  Deliveries.Result attempt(Deliveries.Delivery d) throws InterruptedException {
    PushSubscription sub = subscriptions.get(d.target);
    if (sub == null) {
      return new Deliveries.Result(Deliveries.Outcome.GONE, 0, null, "unsubscribed");
    }
    byte[] salt = new byte[16];
    secureRandom.nextBytes(salt);
    byte[] body = WebPushCrypto.encrypt(d.body.getBytes(StandardCharsets.UTF_8),
        sub.publicKey(), sub.authSecret(), P256.generate(), salt);
    Deliveries.Result r = send(request(d)
        .header("TTL", Long.toString(ttl.toSeconds()))
        .header("Urgency", "high")
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("Authorization",
            Vapid.authorization(keys, d.target, subject, deliveries.clock().instant()))
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
    if (subscriptions.remove(d.target) != null) {
      LOG.info("Push subscription {} removed: {}", d.target, d.lastReason);
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
     * Builds the notifier.
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
