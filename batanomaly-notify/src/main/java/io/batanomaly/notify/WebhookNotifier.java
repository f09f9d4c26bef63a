package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyNotification;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Posts every notification, signed, to one or more webhook receivers, and retries until each
 * accepts it or it is given up into a dead-letter list.
 *
 * <p>Each notification gets one delivery id (a random UUID), sent in the
 * {@value WebhookSignature#DELIVERY_HEADER} header and as {@code deliveryId} in the body, and
 * kept by every retry and replay, so a receiver deduplicates on it. Every attempt is signed as
 * {@link WebhookSignature} describes. Answers are treated so: 2xx delivered; 429 and 503 retried
 * after their {@code Retry-After} (seconds or an HTTP-date), or with backoff when it is absent;
 * 408, 425, other 5xx, timeouts and connection failures retried with backoff; any other status
 * refused at once. {@link RetryPolicy} gives the backoff and the give-up rules. Deliveries given
 * up go to a bounded dead-letter list: read it with {@link #deadLetters()}, send them again with
 * {@link #replay(String)} or {@link #replayAll()}.
 *
 * <p>{@link #onNotification} only queues the deliveries and returns; the attempts run on the
 * {@link DeliveryScheduler}. Add one to an engine with
 * {@code builder.listener(WebhookNotifier.fromConfig(config))}, or let the engine create it:
 * it does whenever {@code ANOMALY_WEBHOOK_URLS} is set, and exposes it as
 * {@code engine.notifier(WebhookNotifier.class)}.
 *
 * <p>Thread-safe. {@link #close()} stops the attempts and moves what is still pending to the
 * dead-letter list.
 */
public final class WebhookNotifier extends HttpNotifier {

  private final List<URI> targets;
  private final String secret;

  private WebhookNotifier(Builder b) {
    super(b, "Webhook", "batanomaly-webhook");
    this.targets = List.copyOf(b.targets);
    this.secret = b.secret;
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
   * @throws IllegalArgumentException if a webhook setting is invalid, no URL is configured or
   *     the secret is blank; the message names the key and the value given
   */
  public static WebhookNotifier fromConfig(AnomalyConfig config) {
    return fromConfig(config, InstantSource.system());
  }

  /**
   * Creates a notifier from the {@code ANOMALY_WEBHOOK_*} settings.
   *
   * @param config the configuration
   * @param clock the clock for timestamps and ages (the engine's clock)
   * @return the notifier
   * @throws IllegalArgumentException if a webhook setting is invalid, no URL is configured or
   *     the secret is blank; the message names the key and the value given
   */
  public static WebhookNotifier fromConfig(AnomalyConfig config, InstantSource clock) {
    List<String> errors = NotifySettings.errors(config);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    if (config.get(NotifySettings.WEBHOOK_URLS).isEmpty()) {
      throw new IllegalArgumentException(NotifySettings.WEBHOOK_URLS.key()
          + " must name at least one URL, but was '"
          + config.raw(NotifySettings.WEBHOOK_URLS.key()) + "'");
    }
    return builder()
        .targets(config.get(NotifySettings.WEBHOOK_URLS))
        .secret(config.get(NotifySettings.WEBHOOK_SECRET))
        .deliverySettings(config)
        .clock(clock)
        .build();
  }

  /**
   * Queues one delivery per target, all with one new delivery id, and returns.
   *
   * @param notification the notification
   */
  @Override
  public void onNotification(AnomalyNotification notification) {
    String id = UUID.randomUUID().toString();
    submit(notification, id, NotificationBody.webhook(notification, id), targets);
  }

  @Override
  Deliveries.Result attempt(Deliveries.Delivery d) throws InterruptedException {
    long ts = deliveries.clock().instant().getEpochSecond();
    return send(request(d)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "batanomaly-webhook/1")
        .header(WebhookSignature.DELIVERY_HEADER, d.id)
        .header("Batanomaly-Event", d.event)
        .header("Batanomaly-Attempt", Integer.toString(d.attempts))
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, ts, d.body))
        .POST(HttpRequest.BodyPublishers.ofString(d.body, StandardCharsets.UTF_8))
        .build());
  }

  /** @return the receivers, in the order they were given */
  public List<URI> targets() {
    return targets;
  }

  /**
   * Builds a {@link WebhookNotifier}; the timeouts, retry policy, bounds, clock and scheduler
   * are set as for every notifier of this package. Not thread-safe.
   */
  public static final class Builder extends HttpNotifierBuilder<Builder> {
    private final List<URI> targets = new ArrayList<>();
    private String secret;

    private Builder() {}

    /**
     * Adds a receiver.
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
      targets.add(url);
      return this;
    }

    /**
     * Adds receivers.
     *
     * @param urls absolute http or https URLs
     * @return this builder
     * @throws IllegalArgumentException if one is not an absolute http or https URL
     */
    public Builder targets(List<URI> urls) {
      urls.forEach(this::target);
      return this;
    }

    /**
     * Sets the signing secret.
     *
     * @param secret the shared secret, not blank
     * @return this builder
     */
    public Builder secret(String secret) {
      this.secret = secret;
      return this;
    }

    /**
     * Builds the notifier.
     *
     * @return the notifier
     * @throws IllegalArgumentException if no target was given or the secret is blank
     */
    public WebhookNotifier build() {
      if (targets.isEmpty()) {
        throw new IllegalArgumentException("a webhook notifier needs at least one target URL,"
            + " but none was given");
      }
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException(
            "the webhook signing secret must not be blank, but was '" + secret + "'");
      }
      return new WebhookNotifier(this);
    }
  }
}
