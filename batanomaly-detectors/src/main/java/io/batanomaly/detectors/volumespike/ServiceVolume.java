package io.batanomaly.detectors.volumespike;

import io.batanomaly.detectors.internal.CarriedWindow;
import io.batanomaly.window.BucketRing;

/**
 * One service's state for the volume-spike rule: its one-second counts, the newest bucket
 * judged and opened, since when it has been sending, and what lets a judge work out the rule's
 * sums from the last judge's instead of re-reading the ring.
 *
 * <h2>Sums carried from one judge to the next</h2>
 *
 * <p>Each second the rule needs the sum of the current window (20 buckets by default), and every
 * tenth second a new baseline (sum and sum of squares of 280 buckets). Read from the ring, that
 * is 20 slots a second and 280 every ten, mostly from memory no longer in cache. But from one
 * judge to the next the windows only slide: the current window's sum is the last one, minus the
 * bucket that left, plus the bucket that just closed; the baseline's is the last baseline's,
 * minus the buckets that left (kept from when it was read: the ring may have recycled their
 * slots since), plus those that entered.
 *
 * <p>That holds only while the buckets carried over did not change, and late events change
 * closed buckets. So every add into a bucket older than the newest opened one (a <em>late</em>
 * add, found by one compare after the ring's CAS) lowers the late floor to its bucket, by
 * CAS. A judge first marks the bucket it opens as the newest, then takes the floor (resetting
 * it), then reads the ring: a late add whose CAS the judge's reads missed either comes after
 * that mark, so it sees the new newest and lowers the floor for the next judge, or it was
 * already counted in the reads. A carried sum is used only when no late add since it was
 * taken touched a bucket it carries over; otherwise the judge reads the ring as before. So in
 * any sequence of adds and judges on one thread the sums are exactly those the ring would give.
 * With several threads adding, a judge racing a late add may see that add one judge later than
 * a fresh read would have; the floor makes the next judge read the ring again, so no count is
 * lost.
 *
 * <p>The carried sums belong to one judge at a time: a judge takes them with a try-lock, and one
 * that finds another judging the same service (only when threads close its buckets together)
 * reads the ring and leaves them alone. Sums of squares are carried only while every count
 * involved is exact in a {@code double} (a baseline of fewer than 2^26 events), so the carried
 * value is bit for bit the one a fresh read adds up.
 *
 * <p>Memory: the ring, the {@link #HEAD} oldest counts of the baseline in use, and a few fields.
 */
final class ServiceVolume extends CarriedWindow {
  /** How many of the baseline's oldest counts are kept, for the buckets that leave it next. */
  static final int HEAD = 2 * SpikeRule.BASELINE_REFRESH_BUCKETS;
  /** Below this many events a baseline's sums of squares are exact integers in a double. */
  private static final double EXACT_BASELINE = 1 << 26;

  final BucketRing ring;
  private volatile long activeSince = Long.MAX_VALUE;

  // the carried sums: read and written only by the judge holding `judging`
  /** The last bucket of the current window last summed, or NONE. */
  private long currentLast = NONE;
  private long currentSum;
  /** The oldest late bucket since currentSum was read, or MAX_VALUE. */
  private long currentFloor = Long.MAX_VALUE;
  /** The baseline in use, replaced every few seconds; or null. Read by any judge. */
  private volatile SpikeRule.Baseline baseline;
  /** The oldest late bucket since the baseline was read, or MAX_VALUE. */
  private long baselineFloor = Long.MAX_VALUE;
  /** The counts of the baseline's HEAD oldest buckets, as it summed them. */
  private final long[] head = new long[HEAD];
  /** Judges that carried the current window's sum over, for tests. */
  long carriedCurrent;
  /** Baselines carried over from the one before, for tests. */
  long carriedBaselines;

  ServiceVolume(BucketRing ring) {
    this.ring = ring;
  }

  /**
   * Counts {@code count} events at {@code timeMillis}.
   *
   * @return what {@link BucketRing#add(long, int)} returned; on {@link BucketRing#OPENED} the
   *     caller calls {@link #opened} next
   */
  int add(long timeMillis, int count) {
    int result = ring.add(timeMillis, count);
    if (result == BucketRing.ADDED) {
      added(ring, timeMillis);
    }
    return result;
  }

  /**
   * Notes that bucket {@code epoch} was opened; restarts the warm-up after a gap longer than
   * {@code gapBuckets}. A bucket opened behind the newest one is a late add.
   */
  void opened(long epoch, int gapBuckets) {
    long newest = opened(epoch);
    if (newest != BEHIND && (newest == NONE || epoch - newest > gapBuckets)) {
      activeSince = epoch;
    }
  }


  long activeSince() {
    return activeSince;
  }


  /**
   * Evaluates the rule for the current window ending with bucket {@code closed}, which the
   * caller has claimed, after {@link #opened} for the bucket after it.
   *
   * @return the verdict, or {@code null} when the rule does not hold
   */
  SpikeRule.Verdict judge(SpikeRule rule, long closed) {
    return judge(rule, closed, false);
  }

  /**
   * As {@link #judge(SpikeRule, long)}.
   *
   * @param always return the verdict even when the rule does not hold
   */
  SpikeRule.Verdict judge(SpikeRule rule, long closed, boolean always) {
    if (!tryJudge()) {
      // another thread holds the carried sums: read the ring
      SpikeRule.Baseline b = rule.baseline(ring, closed, baseline);
      return rule.evaluate(ring, closed, always, b);
    }
    try {
      long late = takeLateFloor();
      currentFloor = Math.min(currentFloor, late);
      baselineFloor = Math.min(baselineFloor, late);
      if (newestOpened() - closed >= ring.buckets() - rule.windowBuckets) {
        // other threads have opened buckets so far ahead that the ring may have recycled some
        // the carried sums hold: read it afresh
        currentFloor = Long.MIN_VALUE;
        baselineFloor = Long.MIN_VALUE;
      }
      SpikeRule.Baseline b = nextBaseline(rule, closed);
      return rule.evaluate(ring, closed, always, b, currentSum(rule, closed));
    } finally {
      release();
    }
  }

  /** The current window's sum, carried from the last second's when nothing late touched it. */
  private long currentSum(SpikeRule rule, long closed) {
    long sum;
    if (currentLast == closed - 1 && currentFloor > closed - 1) {
      sum = currentSum - ring.count(closed - rule.currentBuckets) + ring.count(closed);
      carriedCurrent++;
    } else {
      sum = ring.sum(closed - rule.currentBuckets + 1, closed);
    }
    currentLast = closed;
    currentSum = sum;
    currentFloor = Long.MAX_VALUE;
    return sum;
  }

  /**
   * The baseline for the current window ending with {@code closed}: the one in use while it is
   * fresh enough ({@link SpikeRule#baseline}), else the next one, carried from it when no late
   * add touched the buckets they share and the buckets that leave are among those kept.
   */
  private SpikeRule.Baseline nextBaseline(SpikeRule rule, long closed) {
    SpikeRule.Baseline cached = baseline;
    long end = closed - rule.currentBuckets;
    if (cached != null && rule.isFresh(cached, end)) {
      return cached;
    }
    int n = rule.baselineBuckets();
    long first = end - n + 1;
    SpikeRule.Baseline next = null;
    long step = cached == null ? 0 : end - cached.lastEpoch();
    if (cached != null && step > 0 && step <= HEAD && step + HEAD <= n
        && baselineFloor > cached.lastEpoch() && cached.sum() < EXACT_BASELINE) {
      double sum = cached.sum();
      double squares = cached.squares();
      // the buckets that leave, as the baseline in use counted them
      for (int i = 0; i < step; i++) {
        double c = head[i];
        sum -= c;
        squares -= c * c;
      }
      // the buckets that enter, and the new head, from the ring
      for (long e = cached.lastEpoch() + 1; e <= end; e++) {
        double c = ring.count(e);
        sum += c;
        squares += c * c;
      }
      if (sum < EXACT_BASELINE) {
        next = new SpikeRule.Baseline(end, sum, squares);
        carriedBaselines++;
        // the new head: the old one's younger part, then the buckets after it
        int keep = HEAD - (int) step;
        System.arraycopy(head, (int) step, head, 0, keep);
        for (int i = keep; i < HEAD; i++) {
          head[i] = ring.count(first + i);
        }
      }
    }
    if (next == null) {
      next = rule.baseline(ring, closed, null, head);
    }
    baseline = next;
    baselineFloor = Long.MAX_VALUE;
    return next;
  }
}
