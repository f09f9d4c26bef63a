package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;
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
 * plaintext message) that the host can read and replay.
 *
 * <p>Thread-safe. {@link #onNotification} only queues deliveries; attempts run on the
 * {@link DeliveryScheduler}.
 */
public final class WebPushNotifier implements AnomalyListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebPushNotifier.class);

  private final VapidKeys keys;
  private final String subject;
  private final Duration ttl;
  private final Duration requestTimeout;
  private final HttpClient client;
  private final SecureRandom secureRandom = new SecureRandom();
  private final Map<URI, PushSubscription> subscriptions = new ConcurrentHashMap<>();
  private final Deliveries deliveries;

  private WebPushNotifier(Builder b) {
    this.keys = Objects.requireNonNull(b.keys, "VAPID keys must be given");
    String lower = b.subject == null ? "" : b.subject.toLowerCase(java.util.Locale.ROOT);
    if (!lower.startsWith("mailto:") && !lower.startsWith("https:")) {
      throw new IllegalArgumentException(
          "the VAPID subject must be a mailto: or https: URL, but was '" + b.subject + "'");
    }
    this.subject = b.subject;
    this.ttl = b.ttl;
    this.requestTimeout = b.requestTimeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    DeliveryScheduler scheduler =
        b.scheduler != null ? b.scheduler : DeliveryScheduler.ofThreads("batanomaly-webpush", 4);
    this.deliveries = new Deliveries("Web Push", scheduler, b.clock, b.policy, b.deadLetterCap,
        b.maxPending, b.random, this::attempt, this::gone);
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
    List<String> errors = config.validate(NotifySettings.all());
    if (errors.isEmpty()) {
      errors = NotifySettings.check(config);
    }
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
        .connectTimeout(config.get(NotifySettings.WEBHOOK_CONNECT_TIMEOUT))
        .requestTimeout(config.get(NotifySettings.WEBHOOK_REQUEST_TIMEOUT))
        .retryPolicy(NotifySettings.retryPolicy(config))
        .deadLetterCap(config.get(NotifySettings.WEBHOOK_DEAD_LETTER_CAP))
        .maxPending(config.get(NotifySettings.WEBHOOK_MAX_PENDING))
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
    String payload = NotificationBody.push(notification, id, WebPushCrypto.MAX_PLAINTEXT);
    String event = NotificationBody.event(notification);
    for (URI endpoint : subscriptions.keySet()) {
      deliveries.submit(new Deliveries.Delivery(id, endpoint, event,
          notification.anomaly().id(), payload, deliveries.clock().instant()));
    }
  }

  private Deliveries.Result attempt(Deliveries.Delivery d) throws InterruptedException {
    PushSubscription sub = subscriptions.get(d.target);
    if (sub == null) {
      return new Deliveries.Result(Deliveries.Outcome.GONE, 0, null, "unsubscribed");
    }
    byte[] salt = new byte[16];
    secureRandom.nextBytes(salt);
    byte[] body = WebPushCrypto.encrypt(d.body.getBytes(StandardCharsets.UTF_8),
        sub.publicKey(), sub.authSecret(), P256.generate(), salt);
    HttpRequest request = HttpRequest.newBuilder(d.target)
        .timeout(requestTimeout)
        .header("TTL", Long.toString(ttl.toSeconds()))
        .header("Urgency", "high")
        .header("Content-Encoding", "aes128gcm")
        .header("Content-Type", "application/octet-stream")
        .header("Authorization",
            Vapid.authorization(keys, d.target, subject, deliveries.clock().instant()))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      if (status == 404 || status == 410) {
        return new Deliveries.Result(Deliveries.Outcome.GONE, status, null,
            "subscription gone (HTTP " + status + ")");
      }
      return Deliveries.classify(status,
          response.headers().firstValue("Retry-After").orElse(null),
          deliveries.clock().instant());
    } catch (HttpTimeoutException e) {
      return new Deliveries.Result(Deliveries.Outcome.RETRY, 0, null,
          "timed out: " + e.getMessage());
    } catch (IOException e) {
      return new Deliveries.Result(Deliveries.Outcome.RETRY, 0, null, e.toString());
    }
  }

  private void gone(Deliveries.Delivery d) {
    if (subscriptions.remove(d.target) != null) {
      LOG.info("Push subscription {} removed: {}", d.target, d.lastReason);
    }
  }

  /**
   * Returns the messages given up, oldest first, with their plaintext.
   *
   * @return a snapshot of the dead-letter list
   */
  public List<DeadLetter> deadLetters() {
    return deliveries.deadLetters();
  }

  /**
   * Takes the dead letters of one delivery id out of the list and sends them again, encrypted
   * afresh, to subscriptions that are still registered.
   *
   * @param deliveryId the delivery id
   * @return how many were resubmitted
   */
  public int replay(String deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId");
    return deliveries.replay(l -> l.deliveryId().equals(deliveryId));
  }

  /**
   * Takes every dead letter out of the list and sends it again, as {@link #replay(String)}.
   *
   * @return how many were resubmitted
   */
  public int replayAll() {
    return deliveries.replay(l -> true);
  }

  /**
   * Returns the counters; {@link DeliveryStats#gone()} counts messages whose subscription the
   * push service reported gone.
   *
   * @return the counters
   */
  public DeliveryStats stats() {
    return deliveries.stats();
  }

  /** Stops the attempts and moves every pending message to the dead-letter list. */
  @Override
  public void close() {
    deliveries.close();
  }

  /** Builds a {@link WebPushNotifier}. Not thread-safe. */
  public static final class Builder {
    private VapidKeys keys;
    private String subject;
    private Duration ttl = NotifySettings.WEBPUSH_TTL.defaultValue();
    private Duration connectTimeout = NotifySettings.WEBHOOK_CONNECT_TIMEOUT.defaultValue();
    private Duration requestTimeout = NotifySettings.WEBHOOK_REQUEST_TIMEOUT.defaultValue();
    private RetryPolicy policy = RetryPolicy.defaults();
    private int deadLetterCap = NotifySettings.WEBHOOK_DEAD_LETTER_CAP.defaultValue();
    private int maxPending = NotifySettings.WEBHOOK_MAX_PENDING.defaultValue();
    private InstantSource clock = InstantSource.system();
    private DeliveryScheduler scheduler;
    private RandomGenerator random = RandomGenerator.getDefault();

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
      this.ttl = WebhookNotifier.Builder.positive("ttl", ttl);
      return this;
    }

    /**
     * Sets the time allowed to connect (default 5 s).
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = WebhookNotifier.Builder.positive("connectTimeout", timeout);
      return this;
    }

    /**
     * Sets the time allowed for an answer (default 10 s).
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = WebhookNotifier.Builder.positive("requestTimeout", timeout);
      return this;
    }

    /**
     * Sets the retry policy (default {@link RetryPolicy#defaults()}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Sets how many dead letters are kept (default 1000).
     *
     * @param cap at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder deadLetterCap(int cap) {
      if (cap < 1) {
        throw new IllegalArgumentException("deadLetterCap must be at least 1, but was '"
            + cap + "'");
      }
      this.deadLetterCap = cap;
      return this;
    }

    /**
     * Sets how many messages may wait for an attempt (default 10,000).
     *
     * @param max at least 1
     * @return this builder
     * @throws IllegalArgumentException if less than 1
     */
    public Builder maxPending(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1, but was '" + max
            + "'");
      }
      this.maxPending = max;
      return this;
    }

    /**
     * Sets the clock for token expiry and ages (default: the system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the scheduler attempts run on (default: four daemon threads owned by the notifier).
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(DeliveryScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
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
      return new WebPushNotifier(this);
    }
  }
}
