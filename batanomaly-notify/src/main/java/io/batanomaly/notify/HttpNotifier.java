package io.batanomaly.notify;

import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What {@link WebhookNotifier} and {@link WebPushNotifier} share: the HTTP client, the
 * {@link Deliveries} that own pending deliveries, retries and the {@link Outbox}, and the
 * methods the host reads, replays and closes them with. A subclass builds the request of each
 * attempt; {@link #send} sends it and classifies the answer.
 *
 * <p>Thread-safe.
 */
abstract class HttpNotifier implements AnomalyListener, AutoCloseable {
  private final HttpClient client;
  private final Duration requestTimeout;
  final Deliveries deliveries;

  /**
   * Creates the client and the deliveries from the builder's options.
   *
   * @param b the options, already checked
   * @param what the name of the notifier in log lines
   * @param threadName the prefix of the default scheduler's thread names
   */
  HttpNotifier(HttpNotifierBuilder<?> b, String what, String threadName) {
    this.requestTimeout = b.requestTimeout;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    DeliveryScheduler scheduler =
        b.scheduler != null ? b.scheduler : DeliveryScheduler.ofThreads(threadName, 4);
    Outbox outbox = b.outbox != null ? b.outbox : Outbox.inMemory(b.deadLetterCap);
    this.deliveries = new Deliveries(what, scheduler, b.clock, b.policy, b.maxPending, b.random,
        this::attempt, this::gone, outbox);
  }

  /**
   * Takes up the deliveries a previous process left pending in the outbox. Each subclass calls
   * it last in its constructor, once the attempts can run.
   */
  final void start() {
    deliveries.resume();
  }

  /** Makes one attempt of a delivery; must not throw for a failure of the receiver. */
  abstract Deliveries.Result attempt(Deliveries.Delivery d) throws InterruptedException;

  /** Called once for a delivery whose target answered that it is gone for good. */
  void gone(Deliveries.Delivery d) {}

  /** Whether a URL is absolute, has a host and speaks http or https. */
  static boolean isHttpUrl(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    return url.isAbsolute() && url.getHost() != null
        && (scheme.equals("http") || scheme.equals("https"));
  }

  /** Queues one delivery of {@code body} to each target, all under one delivery id. */
  final void submit(AnomalyNotification notification, String deliveryId, String body,
      Iterable<String> targetIds) {
    String event = NotificationBody.event(notification);
    for (String target : targetIds) {
      deliveries.submit(new Deliveries.Delivery(deliveryId, target,
          notification.anomaly().tenant(), event, notification.anomaly().id(), body,
          deliveries.clock().instant()));
    }
  }

  /**
   * Reads a tenant's registered webhook targets; a store that fails is logged (at most once a
   * minute) and counted as an outbox failure, and the notification goes to the fixed targets
   * alone.
   */
  final List<WebhookTarget> registeredTargets(String tenant, NotificationTargets registry) {
    try {
      return registry.store().webhooks(tenant);
    } catch (RuntimeException e) {
      deliveries.storeFailed("read the targets of tenant " + tenant, e);
      return List.of();
    }
  }

  /** Reads a tenant's push subscriptions, as {@link #registeredTargets} does. */
  final List<PushTarget> registeredSubscriptions(String tenant, NotificationTargets registry) {
    try {
      return registry.store().subscriptions(tenant);
    } catch (RuntimeException e) {
      deliveries.storeFailed("read the subscriptions of tenant " + tenant, e);
      return List.of();
    }
  }

  /** Starts the request of one attempt: its URL and the request timeout. */
  final HttpRequest.Builder request(URI url) {
    return HttpRequest.newBuilder(url).timeout(requestTimeout);
  }

  /**
   * Sends one attempt and classifies the answer as {@link Deliveries#classify} does; a timeout
   * or a failure to connect is retried.
   */
  final Deliveries.Result send(HttpRequest request) throws InterruptedException {
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

  /**
   * Returns the deliveries given up, oldest first (for Web Push, with the plaintext message).
   *
   * @return a snapshot of the dead-letter list
   */
  public final List<DeadLetter> deadLetters() {
    return deliveries.deadLetters();
  }

  /**
   * Takes the dead letters of one delivery id out of the list (one per target that failed) and
   * sends them again under the same id, with a fresh budget of attempts and age.
   *
   * @param deliveryId the delivery id
   * @return how many were resubmitted, 0 if the list holds none with that id
   * @throws NullPointerException if {@code deliveryId} is null
   */
  public final int replay(String deliveryId) {
    Objects.requireNonNull(deliveryId, "deliveryId");
    return deliveries.replay(deliveryId);
  }

  /**
   * Takes every dead letter out of the list and sends it again, as {@link #replay(String)}.
   *
   * @return how many were resubmitted
   */
  public final int replayAll() {
    return deliveries.replay(null);
  }

  /**
   * Returns the counters since the notifier was created.
   *
   * @return the counters
   */
  public final DeliveryStats stats() {
    return deliveries.stats();
  }

  /**
   * Stops the attempts. With a {@linkplain Outbox#durable() durable} outbox, the pending
   * deliveries stay in it and are resumed by the next notifier built on it; otherwise they move
   * to the dead-letter list.
   */
  @Override
  public final void close() {
    deliveries.close();
  }
}
