package io.batanomaly.notify;

import io.batanomaly.AnomalyConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The options {@link WebhookNotifier.Builder} and {@link WebPushNotifier.Builder} share: the
 * timeouts, the retry policy, the bounds on pending deliveries and dead letters, the clock and
 * the scheduler. Every setter returns the concrete builder. Not thread-safe.
 *
 * @param <B> the concrete builder
 */
abstract class HttpNotifierBuilder<B extends HttpNotifierBuilder<B>> {
  Duration connectTimeout = NotifySettings.WEBHOOK_CONNECT_TIMEOUT.defaultValue();
  Duration requestTimeout = NotifySettings.WEBHOOK_REQUEST_TIMEOUT.defaultValue();
  RetryPolicy policy = RetryPolicy.defaults();
  int deadLetterCap = NotifySettings.WEBHOOK_DEAD_LETTER_CAP.defaultValue();
  int maxPending = NotifySettings.WEBHOOK_MAX_PENDING.defaultValue();
  InstantSource clock = InstantSource.system();
  DeliveryScheduler scheduler;
  RandomGenerator random = RandomGenerator.getDefault();
  Outbox outbox;

  HttpNotifierBuilder() {}

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Sets the time allowed to connect (default 5 s).
   *
   * @param timeout a positive duration
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B connectTimeout(Duration timeout) {
    this.connectTimeout = positive("connectTimeout", timeout);
    return self();
  }

  /**
   * Sets the time allowed for an answer (default 10 s).
   *
   * @param timeout a positive duration
   * @return this builder
   * @throws IllegalArgumentException if not positive
   */
  public B requestTimeout(Duration timeout) {
    this.requestTimeout = positive("requestTimeout", timeout);
    return self();
  }

  /**
   * Sets the retry policy (default {@link RetryPolicy#defaults()}).
   *
   * @param policy the policy
   * @return this builder
   */
  public B retryPolicy(RetryPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    return self();
  }

  /**
   * Sets how many dead letters the default in-memory outbox keeps (default 1000); an outbox set
   * with {@link #outbox} has its own cap.
   *
   * @param cap at least 1
   * @return this builder
   * @throws IllegalArgumentException if less than 1
   */
  public B deadLetterCap(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("deadLetterCap must be at least 1, but was '"
          + cap + "'");
    }
    this.deadLetterCap = cap;
    return self();
  }

  /**
   * Sets how many deliveries may wait for an attempt (default 10,000); beyond it new ones go
   * straight to the dead-letter list.
   *
   * @param max at least 1
   * @return this builder
   * @throws IllegalArgumentException if less than 1
   */
  public B maxPending(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("maxPending must be at least 1, but was '" + max
          + "'");
    }
    this.maxPending = max;
    return self();
  }

  /**
   * Sets the clock for timestamps, token expiry and ages (default: the system clock).
   *
   * @param clock the clock
   * @return this builder
   */
  public B clock(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return self();
  }

  /**
   * Sets the scheduler attempts run on (default: four daemon threads owned by the notifier).
   * The notifier closes it when it is closed.
   *
   * @param scheduler the scheduler
   * @return this builder
   */
  public B scheduler(DeliveryScheduler scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return self();
  }

  /**
   * Sets where deliveries are kept from before their first attempt until acknowledged or given
   * up (default: {@link Outbox#inMemory(int)} with the {@link #deadLetterCap}). A
   * {@linkplain Outbox#durable() durable} outbox keeps them across a restart: the notifier
   * resumes what it finds pending there when it is built.
   *
   * @param outbox the outbox
   * @return this builder
   */
  public B outbox(Outbox outbox) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    return self();
  }

  B random(RandomGenerator random) {
    this.random = Objects.requireNonNull(random, "random");
    return self();
  }

  /** Sets the timeouts, retry policy and bounds from the {@code ANOMALY_WEBHOOK_*} keys. */
  B deliverySettings(AnomalyConfig config) {
    return connectTimeout(config.get(NotifySettings.WEBHOOK_CONNECT_TIMEOUT))
        .requestTimeout(config.get(NotifySettings.WEBHOOK_REQUEST_TIMEOUT))
        .retryPolicy(NotifySettings.retryPolicy(config))
        .deadLetterCap(config.get(NotifySettings.WEBHOOK_DEAD_LETTER_CAP))
        .maxPending(config.get(NotifySettings.WEBHOOK_MAX_PENDING));
  }

  static Duration positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, but was '" + d + "'");
    }
    return d;
  }
}
