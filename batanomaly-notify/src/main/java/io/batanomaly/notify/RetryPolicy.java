package io.batanomaly.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again and when it is given up.
 *
 * <p>After attempt {@code n} fails, the next waits for a backoff of
 * {@code min(maxBackoff, initialBackoff × 2^(n−1))}, of which the second half is random
 * ("equal jitter"): receivers that come back after an outage are not hit by every sender at the
 * same instant, and no wait is shorter than half the nominal one. A {@code Retry-After} from a
 * 429 or 503 answer replaces the backoff. A delivery is given up after {@code maxAttempts}
 * attempts, or when its next attempt would fall more than {@code maxAge} after its first.
 *
 * @param maxAttempts attempts per delivery, the first included, at least 1
 * @param maxAge how long after its first attempt a delivery may be retried, positive
 * @param initialBackoff the backoff before the first retry, positive
 * @param maxBackoff the longest backoff, at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration maxAge, Duration initialBackoff,
    Duration maxBackoff) {

  /**
   * Checks the policy.
   *
   * @throws IllegalArgumentException if a value is out of range; the message gives it
   * @throws NullPointerException if a duration is null
   */
  public RetryPolicy {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "maxAttempts must be at least 1, but was '" + maxAttempts + "'");
    }
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge must be positive, but was '" + maxAge + "'");
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(
          "initialBackoff must be positive, but was '" + initialBackoff + "'");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff ("
          + initialBackoff + "), but was '" + maxBackoff + "'");
    }
  }

  /**
   * Returns the policy of the documented defaults: 10 attempts within 24 hours, backoff from
   * one second up to ten minutes.
   *
   * @return the policy
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(10, Duration.ofHours(24), Duration.ofSeconds(1),
        Duration.ofMinutes(10));
  }

  /**
   * Returns the nominal backoff after a failed attempt, before jitter.
   *
   * @param failedAttempt the number of the attempt that failed, from 1
   * @return {@code min(maxBackoff, initialBackoff × 2^(failedAttempt−1))}
   */
  public Duration nominalBackoff(int failedAttempt) {
    long initial = initialBackoff.toMillis();
    int shift = Math.min(Math.max(failedAttempt - 1, 0), 40);
    long nominal = initial > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : initial << shift;
    return Duration.ofMillis(Math.min(nominal, maxBackoff.toMillis()));
  }

  /**
   * Returns the backoff after a failed attempt, with jitter: between half the nominal backoff
   * and all of it.
   *
   * @param failedAttempt the number of the attempt that failed, from 1
   * @param random the source of jitter
   * @return the wait before the next attempt
   */
  public Duration backoff(int failedAttempt, RandomGenerator random) {
    long nominal = nominalBackoff(failedAttempt).toMillis();
    long half = nominal / 2;
    return Duration.ofMillis(nominal - half + random.nextLong(half + 1));
  }
}
