package io.batanomaly.detectors.volumespike;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.detectors.Concurrently;
import io.batanomaly.window.BucketRing;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ServiceVolumeTest {

  private static final long BASE = 1_700_000_000_000L;

  /** A rule whose every guard is off, so each verdict carries the sums it was judged on. */
  private static SpikeRule rule(long windowMillis, long currentMillis) {
    return new SpikeRule(3.0, 0, 1e-9, 0, windowMillis, currentMillis);
  }

  /**
   * Replays a stream with bursts, pauses, late events (some reaching into the baseline) and
   * jumps the way the detector does, and checks every judge against sums read from the ring
   * with the baseline reused on the same schedule.
   */
  private static void judgesAsFreshReads(long windowMillis, long currentMillis,
      long latenessMillis, long seed, int events, boolean carriesBaselines) {
    SpikeRule rule = rule(windowMillis, currentMillis);
    int slots = BucketRing.bucketsFor(windowMillis, latenessMillis, 1000);
    ServiceVolume v = new ServiceVolume(new BucketRing(1000, slots, BASE));
    SplittableRandom rnd = new SplittableRandom(seed);
    SpikeRule.Baseline reference = null;
    long t = BASE;
    int judged = 0;
    int rate = 5;
    for (int i = 0; i < events; i++) {
      int kind = rnd.nextInt(10_000);
      if (kind < 20) {
        rate = 1 + rnd.nextInt(60);
      }
      long at;
      if (kind >= 9_996) {
        // a pause, shorter or longer than the current window
        at = t += rnd.nextLong(1_000, 3 * currentMillis);
      } else if (kind < 1_200) {
        // late, mostly by a second or two, sometimes into the baseline
        at = t - (rnd.nextInt(10) == 0 ? rnd.nextLong(0, latenessMillis + 5_000)
            : rnd.nextLong(0, 2_500));
      } else {
        at = t += rnd.nextLong(0, 2_000 / rate + 1);
      }
      int count = 1 + rnd.nextInt(rnd.nextInt(20) == 0 ? 400 : 4);
      if (v.add(at, count) != BucketRing.OPENED) {
        continue;
      }
      long epoch = v.ring.epoch(at);
      v.opened(epoch, rule.currentBuckets);
      long closed = epoch - 1;
      if (closed - rule.windowBuckets + 1 < v.activeSince() || !v.claim(closed)) {
        continue;
      }
      SpikeRule.Verdict got = v.judge(rule, closed, true);
      reference = rule.baseline(v.ring, closed, reference);
      SpikeRule.Verdict want = rule.evaluate(v.ring, closed, true, reference);
      assertThat(got).as("judging bucket %d after event %d", closed, i).isEqualTo(want);
      judged++;
    }
    assertThat(judged).isGreaterThan(events / 200);
    // many judges carried the sums over
    assertThat(v.carriedCurrent).isGreaterThan(judged / 4);
    if (carriesBaselines) {
      assertThat(v.carriedBaselines).isGreaterThan(judged / 40);
    } else {
      assertThat(v.carriedBaselines).isZero();
    }
  }

  @Test
  void carriedSumsEqualFreshReadsOnAShortWindowWithLateEventsIntoTheBaseline() {
    for (long seed = 0; seed < 12; seed++) {
      judgesAsFreshReads(60_000, 10_000, 30_000, seed, 40_000, true);
    }
  }

  @Test
  void carriedSumsEqualFreshReadsOnTheDefaultWindows() {
    for (long seed = 100; seed < 104; seed++) {
      judgesAsFreshReads(300_000, 20_000, 10_000, seed, 150_000, true);
    }
  }

  @Test
  void carriedSumsEqualFreshReadsWhenTheBaselineIsShorterThanItsKeptHead() {
    judgesAsFreshReads(20_000, 10_000, 5_000, 7, 30_000, false);
  }

  @Test
  void aBaselineTooLargeForExactSquaresIsReadAfresh() {
    // 2^26 events in a baseline: sums of squares are no longer exact in a double when carried
    SpikeRule rule = rule(60_000, 10_000);
    ServiceVolume v = new ServiceVolume(new BucketRing(1000, 72, BASE));
    SpikeRule.Baseline reference = null;
    for (int s = 0; s < 200; s++) {
      long at = BASE + s * 1000L;
      int count = (s % 7 == 0 ? 3_000_000 : 1_234_567) + s;
      if (v.add(at, count) == BucketRing.OPENED) {
        v.opened(v.ring.epoch(at), rule.currentBuckets);
        long closed = v.ring.epoch(at) - 1;
        if (closed - rule.windowBuckets + 1 >= v.activeSince() && v.claim(closed)) {
          SpikeRule.Verdict got = v.judge(rule, closed, true);
          reference = rule.baseline(v.ring, closed, reference);
          assertThat(got).isEqualTo(rule.evaluate(v.ring, closed, true, reference));
        }
      }
    }
  }

  @Test
  void noCountIsLostWhenThreadsAddLateEventsWhileOthersJudge() throws Exception {
    SpikeRule rule = rule(60_000, 10_000);
    ServiceVolume v = new ServiceVolume(
        new BucketRing(1000, BucketRing.bucketsFor(60_000, 10_000, 1000), BASE));
    AtomicLong clock = new AtomicLong(BASE);
    AtomicLong added = new AtomicLong();
    int threads = 4;
    Concurrently.run(threads, id -> {
      SplittableRandom rnd = new SplittableRandom(id);
      for (int i = 0; i < 200_000; i++) {
        long now = id == 0 && i % 50 == 0 ? clock.addAndGet(rnd.nextLong(0, 200)) : clock.get();
        long at = rnd.nextInt(10) == 0 ? now - rnd.nextLong(0, 8_000) : now;
        int count = 1 + rnd.nextInt(3);
        int result = v.add(at, count);
        if (result != BucketRing.LATE) {
          added.addAndGet(count);
        }
        if (result == BucketRing.OPENED) {
          long epoch = v.ring.epoch(at);
          v.opened(epoch, rule.currentBuckets);
          long closed = epoch - 1;
          if (closed - rule.windowBuckets + 1 >= v.activeSince() && v.claim(closed)) {
            v.judge(rule, closed, true);
          }
        }
      }
    });
    // once the threads are done, the judges of the next seconds see every count: the current
    // window at once, a baseline from its next refresh on
    long t = clock.get();
    SpikeRule.Verdict last;
    long closed;
    int renewed = 0;
    for (int s = 1; s <= SpikeRule.BASELINE_REFRESH_BUCKETS + 1; s++) {
      long at = (Math.floorDiv(t, 1000) + s) * 1000;
      assertThat(v.add(at, 1)).isEqualTo(BucketRing.OPENED);
      v.opened(v.ring.epoch(at), rule.currentBuckets);
      closed = v.ring.epoch(at) - 1;
      assertThat(v.claim(closed)).isTrue();
      last = v.judge(rule, closed, true);
      assertThat(last.current())
          .isEqualTo(v.ring.sum(closed - rule.currentBuckets + 1, closed));
      if (last.baselineEnd() == v.ring.startOf(closed - rule.currentBuckets + 1)) {
        // the baseline was renewed by this judge
        SpikeRule.Verdict fresh = rule.evaluate(v.ring, closed, true);
        assertThat(last.expected()).isEqualTo(fresh.expected());
        assertThat(last.observedSigma()).isEqualTo(fresh.observedSigma());
        renewed++;
      }
    }
    assertThat(renewed).isEqualTo(1);
    assertThat(added.get()).isPositive();
  }
}
