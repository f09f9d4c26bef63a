package io.batanomaly.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BucketRingTest {

  private static final long BASE = 1_700_000_000_000L;

  @Test
  void countsEventsIntoTheBucketOfTheirTime() {
    BucketRing ring = new BucketRing(1000, 10, BASE);
    ring.add(BASE);
    ring.add(BASE + 999);
    ring.add(BASE + 1000);
    long e0 = ring.epoch(BASE);
    assertThat(ring.count(e0)).isEqualTo(2);
    assertThat(ring.count(e0 + 1)).isEqualTo(1);
    assertThat(ring.sum(e0, e0 + 1)).isEqualTo(3);
  }

  @Test
  void reportsOpenedExactlyOncePerBucket() {
    BucketRing ring = new BucketRing(1000, 4, BASE);
    assertThat(ring.add(BASE)).isEqualTo(BucketRing.OPENED);
    assertThat(ring.add(BASE + 10)).isEqualTo(BucketRing.ADDED);
    assertThat(ring.add(BASE + 1000)).isEqualTo(BucketRing.OPENED);
  }

  @Test
  void resetsARecycledBucketWhenTimeRollsOver() {
    BucketRing ring = new BucketRing(1000, 4, BASE);
    ring.add(BASE, 5);
    long e0 = ring.epoch(BASE);
    ring.add(BASE + 4000); // same slot, four buckets later
    assertThat(ring.count(e0)).isZero();
    assertThat(ring.count(e0 + 4)).isEqualTo(1);
  }

  @Test
  void rejectsEventsOlderThanTheRingHoldsAsLate() {
    BucketRing ring = new BucketRing(1000, 4, BASE);
    ring.add(BASE + 4000);
    assertThat(ring.add(BASE)).isEqualTo(BucketRing.LATE);
    assertThat(ring.sum(ring.epoch(BASE), ring.epoch(BASE + 4000))).isEqualTo(1);
  }

  @Test
  void countsOutOfOrderEventsInsideTheRingExactly() {
    BucketRing ring = new BucketRing(1000, 10, BASE);
    ring.add(BASE + 5000);
    assertThat(ring.add(BASE + 1500)).isEqualTo(BucketRing.OPENED);
    assertThat(ring.count(ring.epoch(BASE + 1500))).isEqualTo(1);
  }

  @Test
  void sumsOnlyTheBucketsStillHeld() {
    BucketRing ring = new BucketRing(1000, 3, BASE);
    for (int s = 0; s < 6; s++) {
      ring.add(BASE + s * 1000L);
    }
    long e0 = ring.epoch(BASE);
    assertThat(ring.sum(e0, e0 + 5)).isEqualTo(3);
    assertThat(ring.newestEpoch()).isEqualTo(e0 + 5);
  }

  @Test
  void sizesTheRingForWindowLatenessAndTheOpenBucket() {
    assertThat(BucketRing.bucketsFor(300_000, 10_000, 10_000)).isEqualTo(33);
  }

  @Test
  void rejectsInvalidGeometryWithTheValueGiven() {
    assertThatThrownBy(() -> new BucketRing(0, 4, BASE))
        .hasMessage("bucketMillis must be at least 1, but was 0");
    assertThatThrownBy(() -> new BucketRing(1000, 1, BASE))
        .hasMessage("buckets must be at least 2, but was 1");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void keepsExactTotalsWhenManyThreadsRecordAcrossRollovers() throws Exception {
    int threads = 8;
    int perThread = 200_000;
    // 64 buckets of 1 ms, events spread over 50 ms so buckets are opened concurrently
    BucketRing ring = new BucketRing(1, 64, BASE);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger late = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          if (ring.add(BASE + ((i + seed) % 50)) == BucketRing.LATE) {
            late.incrementAndGet();
          }
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    long e0 = ring.epoch(BASE);
    assertThat(late.get()).isZero();
    assertThat(ring.sum(e0, e0 + 49)).isEqualTo((long) threads * perThread);
    for (int b = 0; b < 50; b++) {
      assertThat(ring.count(e0 + b)).isEqualTo((long) threads * perThread / 50);
    }
  }

  @Test
  void matchesAModelOfItsSlotsWhateverTheBucketCountBaseAndOrderOfEvents() {
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(11);
    for (int round = 0; round < 200; round++) {
      long width = 1 + rnd.nextInt(5_000);
      int buckets = 2 + rnd.nextInt(400);
      long base = rnd.nextLong(-4_000_000_000_000L, 4_000_000_000_000L);
      BucketRing ring = new BucketRing(width, buckets, base);
      // the model: each slot holds the epoch it was last opened for and its count
      long[] slotEpoch = new long[buckets];
      long[] slotCount = new long[buckets];
      java.util.Arrays.fill(slotEpoch, Long.MIN_VALUE);
      long newest = Long.MIN_VALUE;
      long t = base + rnd.nextLong(-width * buckets * 4, width * buckets * 4);
      for (int i = 0; i < 2_000; i++) {
        // mostly forward in small steps, sometimes back, sometimes a jump
        int kind = rnd.nextInt(100);
        long at = kind < 80 ? (t += rnd.nextLong(0, width))
            : kind < 95 ? t - rnd.nextLong(0, width * buckets) : (t += width * rnd.nextInt(50));
        long epoch = Math.floorDiv(at, width);
        int slot = (int) Math.floorMod(epoch, (long) buckets);
        int expected;
        if (slotEpoch[slot] == epoch) {
          slotCount[slot]++;
          expected = BucketRing.ADDED;
        } else if (slotEpoch[slot] < epoch) {
          slotEpoch[slot] = epoch;
          slotCount[slot] = 1;
          expected = BucketRing.OPENED;
        } else {
          expected = BucketRing.LATE;
        }
        assertThat(ring.add(at)).as("event %d at %d", i, at).isEqualTo(expected);
        newest = Math.max(newest, expected == BucketRing.LATE ? newest : epoch);
      }
      long sum = 0;
      long squares = 0;
      for (long e = newest - buckets + 1; e <= newest; e++) {
        int slot = (int) Math.floorMod(e, (long) buckets);
        long c = slotEpoch[slot] == e ? slotCount[slot] : 0;
        assertThat(ring.count(e)).as("epoch %d of %d buckets", e, buckets).isEqualTo(c);
        sum += c;
        squares += c * c;
      }
      assertThat(ring.sum(newest - buckets - 3, newest)).isEqualTo(sum);
      assertThat(ring.sumOfSquares(newest - buckets + 1, newest)).isEqualTo(squares);
      assertThat(ring.newestEpoch()).isEqualTo(newest);
      // a span reaching past the ring's length reads its older part as zeros, as sum does
      long[] counts = new long[buckets + 7];
      assertThat(ring.counts(newest - buckets - 3, newest, counts)).isEqualTo(buckets + 4);
      for (int j = 0; j < buckets + 4; j++) {
        long e = newest - buckets - 3 + j;
        assertThat(counts[j]).as("copied epoch %d of %d buckets", e, buckets)
            .isEqualTo(e > newest - buckets ? ring.count(e) : 0);
      }
    }
  }

  @Test
  void copiesTheCountsOfASpanOldestFirst() {
    BucketRing ring = new BucketRing(1000, 10, BASE);
    ring.add(BASE, 3);
    ring.add(BASE + 2000, 4);
    ring.add(BASE + 3000);
    long e0 = ring.epoch(BASE);
    long[] dest = {9, 9, 9, 9, 9, 9};
    assertThat(ring.counts(e0 - 1, e0 + 3, dest)).isEqualTo(5);
    assertThat(dest).containsExactly(0, 3, 0, 4, 1, 9);
    assertThat(ring.counts(e0 + 2, e0 + 1, dest)).isZero();
    // a bucket recycled by a newer one counts as zero, as in sum
    ring.add(BASE + 12_000);
    assertThat(ring.counts(e0, e0 + 3, dest)).isEqualTo(4);
    assertThat(dest).startsWith(3, 0, 0, 1);
  }

  @Test
  void refusesToCopyASpanLongerThanTheDestination() {
    BucketRing ring = new BucketRing(1000, 10, BASE);
    assertThatThrownBy(() -> ring.counts(0, 5, new long[5]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 5 counts");
    assertThatThrownBy(() -> ring.counts(Long.MIN_VALUE, Long.MAX_VALUE, new long[5]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sumOfSquaresAddsTheSquaredCountOfEachBucket() {
    BucketRing ring = new BucketRing(1000, 10, BASE);
    ring.add(BASE, 3);
    ring.add(BASE + 1000, 4);
    long e0 = ring.epoch(BASE);
    assertThat(ring.sumOfSquares(e0, e0 + 5)).isEqualTo(25);
    assertThat(ring.sumOfSquares(e0 + 2, e0 + 1)).isZero();
  }

  @Test
  void countsEventsBeyondTheRepresentableEpochsIntoTheLastBucket() {
    BucketRing ring = new BucketRing(1, 4, 0);
    long far = (long) Integer.MAX_VALUE + 10;
    ring.add(far);
    ring.add(far + 1);
    assertThat(ring.count(far)).isEqualTo(2);
    assertThat(ring.count(far + 1)).isEqualTo(2);
  }
}
