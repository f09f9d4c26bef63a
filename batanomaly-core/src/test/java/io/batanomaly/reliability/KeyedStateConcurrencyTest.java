package io.batanomaly.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.window.KeyedState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link KeyedState} under threads that create keys at once: a key arriving while another
 * thread sweeps is tracked, not shed, and the budget plus its headroom holds exactly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KeyedStateConcurrencyTest {

  /** An entry: when it was touched, by a shared counter. */
  private static final class Entry {
    final long touched;

    Entry(long touched) {
      this.touched = touched;
    }
  }

  @Test
  void aKeyArrivingWhileAnotherThreadSweepsIsTrackedNotShed() throws Exception {
    // Regression: a thread that found the budget full while another thread was sweeping did
    // not wait and did not create either: it shed the key, counted as if every entry were
    // protected, so an attacker's first failure could be lost during any sweep.
    CountDownLatch sweeping = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong clock = new AtomicLong();
    KeyedState<String, Entry> state = new KeyedState<>(10, k -> new Entry(clock.incrementAndGet()),
        new KeyedState.Policy<>() {
          @Override
          public boolean isExpired(Entry e, long now) {
            if (Thread.currentThread().getName().equals("sweeper")) {
              sweeping.countDown();
              try {
                release.await();
              } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
              }
            }
            return false;
          }

          @Override
          public boolean isProtected(Entry e, long now) {
            return false;
          }

          @Override
          public long lastTouched(Entry e) {
            return e.touched;
          }
        });
    for (int i = 0; i < 10; i++) {
      assertThat(state.getOrCreate("old-" + i, 0)).isNotNull();
    }
    Thread sweeper = new Thread(() -> state.getOrCreate("new-by-sweeper", 0), "sweeper");
    sweeper.start();
    assertThat(sweeping.await(10, TimeUnit.SECONDS)).isTrue();

    Entry mine = state.getOrCreate("new-while-sweeping", 0);

    release.countDown();
    sweeper.join();
    assertThat(mine).isNotNull();
    assertThat(state.shed()).isZero();
    assertThat(state.get("new-while-sweeping")).isSameAs(mine);
    assertThat(state.get("new-by-sweeper")).isNotNull();
    assertThat(state.size()).isLessThanOrEqualTo(10 + 1);
  }

  @Test
  void theBudgetPlusItsHeadroomHoldsWhileEightThreadsCreateKeys() throws Exception {
    int budget = 1_000;
    int threads = 8;
    int perThread = 50_000;
    AtomicLong clock = new AtomicLong();
    KeyedState<String, Entry> state = new KeyedState<>(budget,
        k -> new Entry(clock.incrementAndGet()), new KeyedState.Policy<>() {
          @Override
          public boolean isExpired(Entry e, long now) {
            return false;
          }

          @Override
          public boolean isProtected(Entry e, long now) {
            return false;
          }

          @Override
          public long lastTouched(Entry e) {
            return e.touched;
          }
        });
    CyclicBarrier start = new CyclicBarrier(threads);
    AtomicInteger overBound = new AtomicInteger();
    AtomicInteger missing = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < perThread; i++) {
            if (state.getOrCreate("t" + me + "-" + i, 0) == null) {
              missing.incrementAndGet();
            }
            if (state.size() > budget + budget / 10) {
              overBound.incrementAndGet();
            }
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      w.start();
      workers.add(w);
    }
    for (Thread w : workers) {
      w.join();
    }
    long created = (long) threads * perThread;
    assertThat(overBound.get()).isZero();
    assertThat(state.size()).isLessThanOrEqualTo(budget + budget / 10);
    assertThat(missing.get()).isEqualTo(state.shed());
    assertThat(state.size() + state.evictions() + state.expirations() + state.shed())
        .isEqualTo(created);
  }
}
