package io.batanomaly.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.Severity;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class IdempotencyKeysTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Anomaly RESULT = new Anomaly("anom-1", "acme", "VOLUME_SPIKE", "billing",
      null, null, null, null, null, T0, T0, 1, AnomalyStatus.RESOLVED, Severity.LOW, "s",
      Map.of(), List.of(), List.of());

  @Test
  @Timeout(60)
  void manyThreadsRetryingTheSameRequestRunItExactlyOnce() throws Exception {
    ManualClock clock = new ManualClock(T0);
    IdempotencyKeys store = new IdempotencyKeys(clock, Duration.ofHours(24).toMillis(), 1000);
    int threads = 8;
    int attempts = 2_000;
    AtomicInteger runs = new AtomicInteger();
    AtomicInteger replays = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < attempts; i++) {
            try {
              Anomaly a = store.execute("acme", "key-" + (i % 50), "request-" + (i % 50), () -> {
                runs.incrementAndGet();
                return RESULT;
              });
              assertThat(a).isSameAs(RESULT);
              replays.incrementAndGet();
            } catch (IdempotencyKeyInFlightException busy) {
              inFlight.incrementAndGet();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(runs.get()).isEqualTo(50);
    assertThat(replays.get() + inFlight.get()).isEqualTo(threads * attempts);
    assertThat(store.replayed()).isEqualTo(replays.get() - 50L);
    assertThat(store.size()).isEqualTo(50);
  }

  @Test
  void keysOfRequestsInFlightAreNeverDroppedToMakeRoom() {
    ManualClock clock = new ManualClock(T0);
    IdempotencyKeys store = new IdempotencyKeys(clock, 1000, 1);
    store.execute("acme", "outer", "r", () -> {
      // while "outer" runs, "inner" arrives: the store holds two keys for a moment
      store.execute("acme", "inner", "r", () -> RESULT);
      assertThat(store.size()).isEqualTo(2);
      assertThatThrownBy(() -> store.execute("acme", "outer", "r", () -> RESULT))
          .isInstanceOf(IdempotencyKeyInFlightException.class);
      return RESULT;
    });
    assertThat(store.size()).isEqualTo(2);
    store.execute("acme", "third", "r", () -> RESULT);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.dropped()).isEqualTo(2);
  }

  @Test
  void validatesItsLimits() {
    ManualClock clock = new ManualClock(T0);
    assertThatThrownBy(() -> new IdempotencyKeys(clock, -1, 1))
        .hasMessage("ttlMillis must be 0 or more, but was -1");
    assertThatThrownBy(() -> new IdempotencyKeys(clock, 1, 0))
        .hasMessage("maxKeys must be 1 or more, but was 0");
  }
}
