package io.batanomaly.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ThresholdRingTest {

  @Test
  void isReachedWhenKEventsFallWithinTheWindow() {
    ThresholdRing ring = new ThresholdRing(3);
    ring.record(0);
    ring.record(100);
    assertThat(ring.isReached(300)).isFalse();
    ring.record(300);
    assertThat(ring.isReached(300)).isTrue();
  }

  @Test
  void isNotReachedWhenTheKEventsSpanOneMillisecondMoreThanTheWindow() {
    ThresholdRing ring = new ThresholdRing(3);
    ring.record(0);
    ring.record(100);
    ring.record(301);
    assertThat(ring.isReached(300)).isFalse();
    assertThat(ring.isReached(301)).isTrue();
  }

  @Test
  void keepsTheLatestTimestampsWhateverTheArrivalOrder() {
    ThresholdRing ring = new ThresholdRing(3);
    for (long t : new long[] {50, 10, 40, 20, 30}) {
      ring.record(t);
    }
    assertThat(ring.oldest()).isEqualTo(30);
    assertThat(ring.newest()).isEqualTo(50);
    assertThat(ring.record(5)).isFalse();
    assertThat(ring.countWithin(30, 45)).isEqualTo(2);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void holdsExactlyTheKLargestTimestampsUnderConcurrentRecording() throws Exception {
    int k = 16;
    ThresholdRing ring = new ThresholdRing(k);
    List<Long> all = new ArrayList<>();
    for (long i = 0; i < 40_000; i++) {
      all.add(i);
    }
    Collections.shuffle(all, new Random(42));
    int threads = 4;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Long> slice = all.subList(t * 10_000, (t + 1) * 10_000);
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        slice.forEach(ring::record);
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    assertThat(ring.oldest()).isEqualTo(40_000 - k);
    assertThat(ring.newest()).isEqualTo(39_999);
    assertThat(ring.countWithin(40_000 - k, 39_999)).isEqualTo(k);
  }
}
