package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    assertThat(Deliveries.parseRetryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(Deliveries.parseRetryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
    assertThat(Deliveries.parseRetryAfter("Sun, 01 Mar 2026 10:01:30 GMT", NOW))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(Deliveries.parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
    assertThat(Deliveries.parseRetryAfter("-5", NOW)).isNull();
    assertThat(Deliveries.parseRetryAfter("soon", NOW)).isNull();
    assertThat(Deliveries.parseRetryAfter(null, NOW)).isNull();
  }

  @Test
  void classifiesAnswers() {
    assertThat(Deliveries.classify(204, null, NOW).outcome())
        .isEqualTo(Deliveries.Outcome.DELIVERED);
    assertThat(Deliveries.classify(429, "7", NOW).retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(Deliveries.classify(503, null, NOW).outcome()).isEqualTo(Deliveries.Outcome.RETRY);
    assertThat(Deliveries.classify(503, null, NOW).retryAfter()).isNull();
    assertThat(Deliveries.classify(500, null, NOW).outcome()).isEqualTo(Deliveries.Outcome.RETRY);
    assertThat(Deliveries.classify(408, null, NOW).outcome()).isEqualTo(Deliveries.Outcome.RETRY);
    assertThat(Deliveries.classify(404, null, NOW).outcome())
        .isEqualTo(Deliveries.Outcome.REFUSED);
    assertThat(Deliveries.classify(301, null, NOW).outcome())
        .isEqualTo(Deliveries.Outcome.REFUSED);
  }

  @Test
  void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofHours(1), Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    assertThat(p.nominalBackoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.nominalBackoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.nominalBackoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(p.nominalBackoff(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.nominalBackoff(500)).isEqualTo(Duration.ofSeconds(30));
    SplittableRandom r = new SplittableRandom(7);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long ms = p.backoff(3, r).toMillis();
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertThat(min).isGreaterThanOrEqualTo(2000).isLessThan(2100);
    assertThat(max).isLessThanOrEqualTo(4000).isGreaterThan(3900);
  }
}
