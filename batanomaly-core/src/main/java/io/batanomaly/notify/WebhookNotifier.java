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
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.random.RandomGenerator;

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
 * {@code engine.webhooks()}.
 *
 * <p>Thread-safe. {@link #close()} stops the attempts and moves what is still pending to the
 * dead-letter list.
 */
public final class WebhookNotifier implements AnomalyListener, AutoCloseable {

  private final List<URI> targets;
  private final String secret;
  private final HttpClient client;
  private final Duration requestTimeout;
  private final Deliveries deliveries;

  private WebhookNotifier(Builder b) {
    if (b.targets.isEmpty()) {
      throw new IllegalArgumentException("a webhook notifier needs at least one target URL,"
          + " but none was given");
    }
    if (b.secret == null || b.secret.isBlank()) {
      throw new IllegalArgumentException(
          "the webhook signing secret must not be blank, but was '" + b.secret + "'");
    }
    this.targets = List.copyOf(b.targets);
    this.secret = b.secret;
    this.requestTimeout = b.requestTimeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    DeliveryScheduler scheduler =
        b.scheduler != null ? b.scheduler : DeliveryScheduler.ofThreads("batanomaly-webhook", 4);
    this.deliveries = new Deliveries("Webhook", scheduler, b.clock, b.policy, b.deadLetterCap,
        b.maxPending, b.random, this::attempt, d -> { });
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
    List<String> errors = config.validate(NotifySettings.all());
    if (errors.isEmpty()) {
      errors = NotifySettings.check(config);
    }
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
        .connectTimeout(config.get(NotifySettings.WEBHOOK_CONNECT_TIMEOUT))
        .requestTimeout(config.get(NotifySettings.WEBHOOK_REQUEST_TIMEOUT))
        .retryPolicy(NotifySettings.retryPolicy(config))
        .deadLetterCap(config.get(NotifySettings.WEBHOOK_DEAD_LETTER_CAP))
        .maxPending(config.get(NotifySettings.WEBHOOK_MAX_PENDING))
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
    String body = NotificationBody.webhook(notification, id);
    String event = NotificationBody.event(notification);
    for (URI target : targets) {
      deliveries.submit(new Deliveries.Delivery(id, target, event,
          notification.anomaly().id(), body, deliveries.clock().instant()));
    }
  }

  private Deliveries.Result attempt(Deliveries.Delivery d) throws InterruptedException {
    long ts = deliveries.clock().instant().getEpochSecond();
    HttpRequest request = HttpRequest.newBuilder(d.target)
        .timeout(requestTimeout)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("User-Agent", "batanomaly-webhook/1")
        .header(WebhookSignature.DELIVERY_HEADER, d.id)
        .header("Batanomaly-Event", d.event)
        .header("Batanomaly-Attempt", Integer.toString(d.attempts))
        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(ts))
        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, ts, d.body))
        .POST(HttpRequest.BodyPublishers.ofString(d.body, StandardCharsets.UTF_8))
        .build();
    try {
      HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
      return Deliveries.classify(response.statusCode(),
          response.headers().firstValue("Retry-After").orElse(null),
          deliveries.clock().instant());
    } catch (HttpTimeoutException e) {
      return new Deliveries.Result(Deliveries.Outcome.RETRY, 0, null,
          "timed out: " + e.getMessage());
    } catch (IOException e) {
      return new Deliveries.Result(Deliveries.Outcome.RETRY, 0, null, e.toString());
    }
  }

  /** @return the receivers, in the order they were given */
  public List<URI> targets() {
    return targets;
  }

  /**
   * Returns the deliveries given up, oldest first.
   *
   * @return a snapshot of the dead-letter list
   */
  public List<DeadLetter> deadLetters() {
    return deliveries.deadLetters();
  }

  /**
   * Takes the dead letters of one delivery id out of the list (one per target that failed) and
   * sends them again under the same id, with a fresh budget of attempts and age.
   *
   * @param deliveryId the delivery id
   * @return how many were resubmitted, 0 if the list holds none with that id
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

  /** @return the counters */
  public DeliveryStats stats() {
    return deliveries.stats();
  }

  /** Stops the attempts and moves every pending delivery to the dead-letter list. */
  @Override
  public void close() {
    deliveries.close();
  }

  /** Builds a {@link WebhookNotifier}. Not thread-safe. */
  public static final class Builder {
    private final List<URI> targets = new ArrayList<>();
    private String secret;
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
     * Adds a receiver.
     *
     * @param url an absolute http or https URL
     * @return this builder
     * @throws IllegalArgumentException if {@code url} is not an absolute http or https URL
     */
    public Builder target(URI url) {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme();
      if (!url.isAbsolute() || url.getHost() == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
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
     * Sets the time allowed to connect (default 5 s).
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
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
      this.requestTimeout = positive("requestTimeout", timeout);
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
     * Sets how many deliveries may wait for an attempt (default 10,000); beyond it new ones go
     * straight to the dead-letter list.
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
     * Sets the clock for timestamps and ages (default: the system clock).
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
     * The notifier closes it when it is closed.
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
     * @throws IllegalArgumentException if no target was given or the secret is blank
     */
    public WebhookNotifier build() {
      return new WebhookNotifier(this);
    }

    static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, but was '" + d + "'");
      }
      return d;
    }
  }
}
