package io.batanomaly.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class NotificationDispatcherTest {
  private static final AnomalyNotification N =
      TestNotifications.opened("anom-1", "12 failed logins", Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void hangingListenerHoldsUpNeitherTheCallerNorTheOtherListeners() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch othersGotAll = new CountDownLatch(100);
    AnomalyListener hanging = n -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    try (NotificationDispatcher d =
        new NotificationDispatcher(List.of(hanging, n -> othersGotAll.countDown()), 1000)) {
      for (int i = 0; i < 100; i++) {
        d.accept(N);
      }
      assertThat(othersGotAll.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(d.dropped()).isZero();
      release.countDown();
    }
  }

  @Test
  void concurrentOffersAreEachDeliveredOrCountedAsDroppedExactly() throws Exception {
    int threads = 8;
    int perThread = 20_000;
    long total = (long) threads * perThread;
    int capacity = 64;
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch hangingEntered = new CountDownLatch(1);
    LongAdder counted = new LongAdder();
    AnomalyListener hanging = n -> {
      hangingEntered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    NotificationDispatcher d =
        new NotificationDispatcher(List.of(hanging, n -> counted.increment()), capacity);
    d.accept(N);
    assertThat(hangingEntered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Thread> offering = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          d.accept(N);
        }
      });
      offering.add(th);
      th.start();
    }
    for (Thread th : offering) {
      th.join();
    }
    // The hanging lane holds one notification in the call and a full queue; it lost the rest.
    assertThat(d.dropped(0)).isEqualTo(total + 1 - 1 - capacity);
    // The counting lane drains; whatever it did not receive, it dropped.
    while (d.queueDepth() > capacity) {
      Thread.onSpinWait();
    }
    assertThat(counted.sum() + d.dropped(1)).isEqualTo(total + 1);
    assertThat(d.dropped()).isEqualTo(d.dropped(0) + d.dropped(1));
    release.countDown();
    d.close();
  }

  @Test
  void throwingListenerIsCountedAndItsLaneCarriesOn() throws Exception {
    CountDownLatch calls = new CountDownLatch(3);
    try (NotificationDispatcher d = new NotificationDispatcher(List.of(n -> {
      calls.countDown();
      throw new IllegalStateException("listener bug");
    }), 10)) {
      d.accept(N);
      d.accept(N);
      d.accept(N);
      assertThat(calls.await(10, TimeUnit.SECONDS)).isTrue();
      while (d.failures() < 3) {
        Thread.onSpinWait();
      }
      assertThat(d.failures()).isEqualTo(3);
      assertThat(d.delivered()).isZero();
    }
  }

  @Test
  void dropsAreReportedOncePerIntervalWithTheirCount() {
    AtomicLong now = new AtomicLong(1_000);
    List<String> reports = new ArrayList<>();
    NotificationDispatcher.DropReporter r =
        new NotificationDispatcher.DropReporter(60_000, now::get, reports::add);
    for (int i = 0; i < 1000; i++) {
      r.dropped();
    }
    assertThat(reports).hasSize(1);
    assertThat(reports.get(0)).contains(" 1 notifications dropped");
    now.addAndGet(59_999);
    r.dropped();
    assertThat(reports).hasSize(1);
    now.addAndGet(1);
    r.dropped();
    assertThat(reports).hasSize(2);
    assertThat(reports.get(1)).contains(" 1001 notifications dropped");
  }
}
