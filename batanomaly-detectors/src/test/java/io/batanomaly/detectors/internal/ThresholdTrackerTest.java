package io.batanomaly.detectors.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.Severity;
import io.batanomaly.detectors.Concurrently;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ThresholdTrackerTest {

  @Test
  void reportsWhenTheKthEventFallsInsideTheWindowAndThenOncePerStep() {
    ThresholdTracker t = new ThresholdTracker(3, 1_000, 100);
    assertThat(t.record(0)).isFalse();
    assertThat(t.record(500)).isFalse();
    assertThat(t.record(1_000)).as("three events exactly W apart").isTrue();
    assertThat(t.record(1_050)).as("within the report step").isFalse();
    assertThat(t.record(1_100)).as("a step later, still holding").isTrue();
    assertThat(t.record(5_000)).as("alone in its window").isFalse();
    assertThat(t.holdsAt(5_000)).isFalse();
    assertThat(t.episodeCount()).as("a gap longer than W starts a new episode").isEqualTo(1);
  }

  @Test
  void holdsAtANowOnlyWhileTheKLatestEventsAreWithinTheWindowBeforeIt() {
    ThresholdTracker t = new ThresholdTracker(2, 1_000, 100);
    t.record(100);
    t.record(600);
    assertThat(t.holdsAt(1_100)).isTrue();
    assertThat(t.holdsAt(1_101)).isFalse();
    // 2 events in 500 ms where the rule allows 1,000 ms: twice the threshold rate
    assertThat(t.excess()).isEqualTo(2.0);
  }

  @Test
  void mapsExcessToSeverityAtTheDocumentedSteps() {
    assertThat(Severities.ofExcess(1.0)).isEqualTo(Severity.LOW);
    assertThat(Severities.ofExcess(1.49)).isEqualTo(Severity.LOW);
    assertThat(Severities.ofExcess(1.5)).isEqualTo(Severity.MEDIUM);
    assertThat(Severities.ofExcess(1.99)).isEqualTo(Severity.MEDIUM);
    assertThat(Severities.ofExcess(2.0)).isEqualTo(Severity.HIGH);
    assertThat(Severities.ofExcess(3.99)).isEqualTo(Severity.HIGH);
    assertThat(Severities.ofExcess(4.0)).isEqualTo(Severity.CRITICAL);
    assertThat(Severities.ofExcess(Double.POSITIVE_INFINITY)).isEqualTo(Severity.CRITICAL);
    assertThat(Severities.ofExcess(Double.NaN)).isEqualTo(Severity.LOW);
  }

  /**
   * Eight threads record 80,000 events of one key, all inside one window and one report step:
   * the rule is reported exactly once, and the ring holds exactly the k latest times.
   */
  @Test
  @Timeout(60)
  void reportsExactlyOnceWhenManyThreadsCrossTheThresholdTogether() throws Exception {
    for (int round = 0; round < 20; round++) {
      ThresholdTracker t = new ThresholdTracker(10, 1_000_000, 1_000_000);
      int threads = 8;
      int perThread = 10_000;
      AtomicInteger reports = new AtomicInteger();
      Concurrently.run(threads, offset -> {
        for (int k = 0; k < perThread; k++) {
          if (t.record((long) k * threads + offset)) {
            reports.incrementAndGet();
          }
        }
      });
      long last = (long) threads * perThread - 1;
      assertThat(reports.get()).isEqualTo(1);
      assertThat(t.newest()).isEqualTo(last);
      assertThat(t.oldest()).isEqualTo(last - 9);
      assertThat(t.countWithin(0, last)).isEqualTo(10);
    }
  }

  @Test
  void answersForItsOnlyEventBeforeAnySecondArrives() {
    ThresholdTracker t = new ThresholdTracker(3, 1_000, 100);
    assertThat(t.record(100)).isFalse();
    assertThat(t.newest()).isEqualTo(100);
    assertThat(t.oldest()).isEqualTo(Long.MIN_VALUE);
    assertThat(t.countWithin(0, 200)).isEqualTo(1);
    assertThat(t.countWithin(101, 200)).isZero();
    assertThat(t.episodeCount()).isEqualTo(1);
    assertThat(t.episodeStart()).isEqualTo(100);
    assertThat(t.isReached()).isFalse();
    assertThat(t.holdsAt(100)).isFalse();
  }

  @Test
  void startsANewEpisodeWhenTheSecondEventComesAfterTheWindow() {
    ThresholdTracker t = new ThresholdTracker(3, 1_000, 100);
    t.record(100);
    t.record(1_101);
    assertThat(t.episodeCount()).isEqualTo(1);
    assertThat(t.episodeStart()).isEqualTo(1_101);
    assertThat(t.countWithin(0, 2_000)).isEqualTo(2);
  }

  @Test
  void reportsOnTheFirstEventWhenTheThresholdIsOne() {
    ThresholdTracker t = new ThresholdTracker(new ThresholdTracker.Rule(1, 1_000, 100));
    assertThat(t.record(100)).isTrue();
    assertThat(t.oldest()).isEqualTo(100);
  }

  @Test
  void aDetectorRuleReportsOncePerThirtiethOfItsWindowAndAtMostOnceASecond() {
    assertThat(ThresholdTracker.Rule.forWindow(10, 300_000))
        .isEqualTo(new ThresholdTracker.Rule(10, 300_000, 10_000));
    assertThat(ThresholdTracker.Rule.forWindow(3, 6_000).reportStepMillis()).isEqualTo(1_000);
    ThresholdTracker t = new ThresholdTracker(ThresholdTracker.Rule.forWindow(2, 300_000));
    assertThat(t.record(0)).isFalse();
    assertThat(t.record(1_000)).as("the rule holds").isTrue();
    assertThat(t.record(10_999)).as("within a thirtieth of the window").isFalse();
    assertThat(t.record(11_000)).as("a thirtieth of the window later").isTrue();
  }

  @Test
  void rejectsAThresholdBelowOne() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ThresholdTracker(0, 1_000, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threshold must be at least 1, but was 0");
  }

  @Test
  @Timeout(60)
  void recordsEveryEventExactlyOnceWhenThreadsRaceOnAFreshTracker() throws Exception {
    int threads = 8;
    int perThread = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 2_000; round++) {
        // one slot more than events: a lost event leaves the count short, a duplicate fills it
        ThresholdTracker t = new ThresholdTracker(threads * perThread + 1, 1_000_000, 1);
        Concurrently.run(pool, threads, offset -> {
          for (int k = 0; k < perThread; k++) {
            t.record(1_000 + (long) k * threads + offset);
          }
        });
        assertThat(t.countWithin(0, Long.MAX_VALUE)).isEqualTo(threads * perThread);
        assertThat(t.oldest()).isEqualTo(Long.MIN_VALUE);
        assertThat(t.newest()).isEqualTo(1_000 + (long) threads * perThread - 1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
