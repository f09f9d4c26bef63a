package io.batanomaly.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class KeyedStateTest {

  /** A test entry: a hit count and the last time it was touched. */
  static final class Entry {
    final AtomicLong hits = new AtomicLong();
    volatile long touched;
  }

  private static final KeyedState.Policy<Entry> POLICY = new KeyedState.Policy<>() {
    @Override
    public boolean isExpired(Entry e, long now) {
      return now - e.touched > 1000;
    }

    @Override
    public boolean isProtected(Entry e, long now) {
      return e.hits.get() >= 2;
    }

    @Override
    public long lastTouched(Entry e) {
      return e.touched;
    }
  };

  private static Entry hit(KeyedState<String, Entry> state, String key, long now) {
    Entry e = state.getOrCreate(key, now);
    if (e != null) {
      e.hits.incrementAndGet();
      e.touched = now;
    }
    return e;
  }

  @Test
  void keepsEveryKeyWhileThereIsRoom() {
    KeyedState<String, Entry> state = new KeyedState<>(100, k -> new Entry(), POLICY);
    for (int i = 0; i < 100; i++) {
      hit(state, "k" + i, 0);
    }
    assertThat(state.size()).isEqualTo(100);
    assertThat(state.evictions()).isZero();
    assertThat(state.get("k0")).isNotNull();
    for (int i = 0; i < 100; i++) {
      assertThat(state.get("k" + i).hits.get()).as("hits of k%s", i).isEqualTo(1);
    }
  }

  @Test
  void neverGrowsPastItsBudgetAndCountsEvictions() {
    KeyedState<String, Entry> state = new KeyedState<>(1000, k -> new Entry(), POLICY);
    for (int i = 0; i < 100_000; i++) {
      hit(state, "k" + i, i / 1000);
    }
    assertThat(state.size()).isLessThanOrEqualTo(1000);
    assertThat(state.evictions() + state.expirations()).isGreaterThanOrEqualTo(99_000);
    // nothing is protected (each key is hit once), so nothing is shed, and every key created
    // is either still tracked or counted as removed
    assertThat(state.shed()).isZero();
    assertThat(state.size() + state.evictions() + state.expirations()).isEqualTo(100_000);
  }

  @Test
  void removesExpiredEntriesBeforeEvictingLiveOnes() {
    KeyedState<String, Entry> state = new KeyedState<>(10, k -> new Entry(), POLICY);
    for (int i = 0; i < 10; i++) {
      hit(state, "old" + i, 0);
    }
    hit(state, "new", 5000);
    assertThat(state.expirations()).isEqualTo(10);
    assertThat(state.evictions()).isZero();
    assertThat(state.get("new")).isNotNull();
    assertThat(state.get("new").hits.get()).isEqualTo(1);
    assertThat(state.size()).isEqualTo(1);
    for (int i = 0; i < 10; i++) {
      assertThat(state.get("old" + i)).as("old%s", i).isNull();
    }
  }

  @Test
  void neverEvictsAProtectedKeyToMakeRoomForOneTimeKeys() {
    KeyedState<String, Entry> state = new KeyedState<>(100, k -> new Entry(), POLICY);
    hit(state, "attacker", 0);
    hit(state, "attacker", 0);
    for (int i = 0; i < 50_000; i++) {
      hit(state, "once" + i, 100);
    }
    assertThat(state.get("attacker")).isNotNull();
    assertThat(state.get("attacker").hits.get()).isEqualTo(2);
  }

  @Test
  void evictsTheLeastRecentlyTouchedUnprotectedKeysFirst() {
    KeyedState<String, Entry> state = new KeyedState<>(100, k -> new Entry(), POLICY);
    for (int i = 0; i < 100; i++) {
      hit(state, "k" + i, i); // k0 oldest, k99 newest
    }
    hit(state, "fresh", 100);
    assertThat(state.get("k99")).isNotNull();
    assertThat(state.get("k0")).isNull();
    assertThat(state.get("fresh")).isNotNull();
    assertThat(state.get("fresh").hits.get()).isEqualTo(1);
    assertThat(state.expirations()).isZero();
    assertThat(state.evictions()).isPositive();
    // the sweep removes the least recently touched keys: whatever survives is newer than
    // whatever was evicted
    int oldestKept = -1;
    for (int i = 0; i < 100; i++) {
      if (state.get("k" + i) != null) {
        oldestKept = i;
        break;
      }
    }
    assertThat(oldestKept).isPositive();
    for (int i = oldestKept; i < 100; i++) {
      assertThat(state.get("k" + i)).as("k%s, newer than the oldest kept key", i).isNotNull();
    }
    assertThat(state.evictions()).isEqualTo(oldestKept);
  }

  @Test
  void shedsNewKeysWhenEveryEntryIsProtectedAndCountsThem() {
    KeyedState<String, Entry> state = new KeyedState<>(10, k -> new Entry(), POLICY);
    for (int i = 0; i < 10; i++) {
      hit(state, "p" + i, 0);
      hit(state, "p" + i, 0);
    }
    assertThat(hit(state, "newcomer", 1)).isNull();
    assertThat(state.shed()).isEqualTo(1);
    assertThat(state.size()).isEqualTo(10);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void countsEveryHitExactlyWhenThreadsShareKeys() throws Exception {
    KeyedState<String, Entry> state = new KeyedState<>(1000, k -> new Entry(), POLICY);
    int threads = 8;
    int perThread = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          hit(state, "k" + (i % 500), 0);
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long[] total = {0};
    state.forEach((k, e) -> total[0] += e.hits.get());
    assertThat(total[0]).isEqualTo((long) threads * perThread);
    assertThat(state.size()).isEqualTo(500);
  }

  @Test
  void aSweepKeepsAnEntryRecordedIntoBetweenItsCheckAndItsRemoval() {
    // Regression: the sweep judged an entry unprotected, another thread recorded the second
    // hit that protects it, and the sweep removed it anyway, losing that hit.
    Entry[] victim = new Entry[1];
    int[] victimReads = new int[1];
    KeyedState.Policy<Entry> racing = new KeyedState.Policy<>() {
      @Override
      public boolean isExpired(Entry e, long now) {
        return POLICY.isExpired(e, now);
      }

      @Override
      public boolean isProtected(Entry e, long now) {
        return POLICY.isProtected(e, now);
      }

      @Override
      public long lastTouched(Entry e) {
        long touched = e.touched;
        // the second read is the eviction pass's check: the other thread records right after
        if (e == victim[0] && ++victimReads[0] == 2) {
          e.hits.incrementAndGet();
        }
        return touched;
      }
    };
    KeyedState<String, Entry> state = new KeyedState<>(10, k -> new Entry(), racing);
    for (int i = 0; i < 10; i++) {
      hit(state, "k" + i, i);
    }
    victim[0] = state.get("k0");

    hit(state, "new", 20);

    assertThat(victimReads[0]).isEqualTo(2);
    assertThat(state.get("k0")).isSameAs(victim[0]);
    assertThat(state.get("k0").hits.get()).isEqualTo(2);
    int[] mapped = new int[1];
    state.forEach((k, v) -> mapped[0]++);
    assertThat(state.size()).isEqualTo(mapped[0]);
  }

  @Test
  void keepPutsBackAnEntryASweepRemovedAfterTheCallerLookedItUp() {
    KeyedState<String, Entry> state = new KeyedState<>(1, k -> new Entry(), POLICY);
    Entry looked = hit(state, "attacker", 0);
    // another thread's new key makes the sweep evict the attacker's entry
    hit(state, "other", 1);
    assertThat(state.get("attacker")).isNull();
    // the attacker's thread records its second failure into the entry it looked up
    looked.hits.incrementAndGet();
    looked.touched = 1;

    assertThat(state.keep("attacker", looked)).isSameAs(looked);

    assertThat(state.get("attacker")).isSameAs(looked);
    assertThat(state.size()).isEqualTo(2);
    assertThat(state.keep("attacker", looked)).isSameAs(looked);
    assertThat(state.size()).isEqualTo(2);
  }
}
