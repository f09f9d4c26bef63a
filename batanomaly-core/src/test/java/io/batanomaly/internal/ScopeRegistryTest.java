package io.batanomaly.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ScopeRegistryTest {
  private static final long DAY = ScopeRegistry.IDLE_EVICTION_MILLIS;

  /**
   * Touches from four threads with interleaved times while a fifth reads: the value read must
   * never go back, and ends at the largest time touched.
   */
  private static long backwardSteps(LongConsumer touch, LongSupplier read) throws Exception {
    int threads = 4;
    int perThread = 400_000;
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong backward = new AtomicLong();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      int offset = w;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 1; i <= perThread; i++) {
          touch.accept((long) i * threads + offset);
        }
      });
      t.start();
      writers.add(t);
    }
    Thread reader = new Thread(() -> {
      long last = Long.MIN_VALUE;
      while (writers.stream().anyMatch(Thread::isAlive)) {
        long v = read.getAsLong();
        if (v < last) {
          backward.incrementAndGet();
        }
        last = Math.max(last, v);
      }
    });
    reader.start();
    start.countDown();
    for (Thread t : writers) {
      t.join();
    }
    reader.join();
    assertThat(read.getAsLong()).isEqualTo((long) perThread * threads + threads - 1);
    return backward.get();
  }

  @Test
  void aServicesLastSeenOnlyMovesForwardUnderConcurrentTouches() throws Exception {
    // Regression: touch() compared and then wrote, so a thread holding an older time could
    // overwrite a newer one written between its compare and its write.
    ScopeRegistry registry = new ScopeRegistry(10, 10);
    TenantState tenant = registry.tenant("acme", 0);
    ServiceState service = registry.service(tenant, "billing", 0);
    assertThat(backwardSteps(service::touch, () -> service.lastSeen)).isZero();
    assertThat(backwardSteps(tenant::touch, () -> tenant.lastSeen)).isZero();
  }

  @Test
  void anIdleServiceTouchedWhileItIsEvictedIsKept() {
    ScopeRegistry registry = new ScopeRegistry(10, 1);
    TenantState tenant = registry.tenant("acme", 0);
    ServiceState billing = registry.service(tenant, "billing", 0);
    // a day later, billing's batch resolves it (touching it) while a new service needs room
    ServiceState again = registry.service(tenant, "billing", DAY + 1);
    assertThat(again).isSameAs(billing);
    assertThat(billing.lastSeen).isEqualTo(DAY + 1);
    assertThat(registry.service(tenant, "reports", DAY + 1)).isNull();
    assertThat(tenant.services.get("billing")).isSameAs(billing);
    assertThat(registry.servicesEvicted()).isZero();
  }

  @Test
  void everyServiceResolvedIsTrackedWhileIdleOnesAreEvictedConcurrently() throws Exception {
    // services resolved by ingest threads while other threads evict idle ones to make room:
    // each comes back seen at its resolution time, and the count matches the map
    ScopeRegistry registry = new ScopeRegistry(10, 64);
    TenantState tenant = registry.tenant("acme", 0);
    for (int i = 0; i < 64; i++) {
      registry.service(tenant, "s" + i, 0);
    }
    CountDownLatch start = new CountDownLatch(1);
    AtomicLong lost = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      int id = w;
      Thread t = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int round = 1; round <= 2_000; round++) {
          long now = round * (DAY + 1);
          String name = id % 2 == 0 ? "s" + (round % 64) : "n" + id + "-" + round;
          ServiceState s = registry.service(tenant, name, now);
          if (s != null && s.lastSeen < now) {
            lost.incrementAndGet();
          }
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(lost.get()).isZero();
    assertThat(tenant.serviceCount.get()).isEqualTo(tenant.services.size());
  }
}
