package io.batanomaly.detectors.errorrate;

import io.batanomaly.detectors.internal.CarriedWindow;
import io.batanomaly.detectors.internal.JudgedBucket;
import io.batanomaly.window.BucketRing;

/**
 * One service's state for the error-rate rule: its responses and error responses in two rings
 * of the same geometry, the newest bucket judged for good (this object's {@link #claim}), the
 * newest the tick judged ahead of the watermark ({@link #estimated}), and the window's two sums
 * carried from one judge to the next.
 *
 * <h2>Sums carried from one judge to the next</h2>
 *
 * <p>When a bucket closes the rule sums both rings over the window (60 buckets each by
 * default). From one closed bucket to the next the window only slides by one: each sum is the
 * last one minus the bucket that left plus the bucket that just closed, two slots instead of
 * sixty. That holds only while the buckets carried over did not change, and late events change
 * closed buckets; the bookkeeping is {@link CarriedWindow}'s. Every add
 * into a bucket older than the newest opened one lowers the late floor to its bucket; a
 * judge marks the bucket it opens as the newest, takes the floor, then reads, and carries the
 * sums over only when no late add since the last judge touched a bucket they carry. So on one
 * thread the sums are exactly those the rings give; with several threads adding, a judge racing
 * a late add may see it one judge later than a fresh read would, and the floor makes the next
 * judge read the rings afresh, so no count is lost. Only judges of the bucket just before a
 * newly opened one carry sums; the tick's judges and verification read the rings. The carried
 * sums belong to one judge at a time (a try-lock); one that finds another judging reads the
 * rings.
 */
final class ResponseWindow extends CarriedWindow {
  final BucketRing all;
  final BucketRing errors;
  /** Buckets the tick judged by the estimated event time, which events may still fill. */
  final JudgedBucket estimated = new JudgedBucket() {};

  // the carried sums: read and written only by the judge holding `judging`
  private long carriedLast = NONE;
  private long carriedTotal;
  private long carriedErrors;
  /** Judges that carried the sums over, for tests. */
  long carried;

  ResponseWindow(BucketRing all, BucketRing errors) {
    this.all = all;
    this.errors = errors;
  }

  /**
   * Counts {@code count} responses at {@code timeMillis}, {@code errorCount} of them errors.
   *
   * @return what {@link BucketRing#add(long, int)} returned for the responses; on
   *     {@link BucketRing#OPENED} the caller calls {@link #opened} next
   */
  int add(long timeMillis, int count, int errorCount) {
    if (errorCount > 0) {
      errors.add(timeMillis, errorCount);
    }
    int result = all.add(timeMillis, count);
    if (result == BucketRing.ADDED) {
      added(all, timeMillis);
    }
    return result;
  }

  /**
   * Takes the carried sums for judging the window of {@code windowBuckets} buckets ending with
   * {@code closed}, after {@link #opened} for the bucket after it. On {@code true} the sums
   * are in {@link #total()} and {@link #errorCount()} until {@link #release()}, which the caller
   * must call; on {@code false} another thread holds them and the caller reads the rings.
   */
  boolean carry(long closed, int windowBuckets) {
    if (!tryJudge()) {
      return false;
    }
    long floor = takeLateFloor();
    if (carriedLast == closed - 1 && floor > closed - 1
        && newestOpened() - closed < all.buckets() - windowBuckets) {
      long leaving = closed - windowBuckets;
      carriedTotal += all.count(closed) - all.count(leaving);
      carriedErrors += errors.count(closed) - errors.count(leaving);
      carried++;
    } else {
      long first = closed - windowBuckets + 1;
      carriedTotal = all.sum(first, closed);
      carriedErrors = errors.sum(first, closed);
    }
    carriedLast = closed;
    return true;
  }

  /** @return the responses in the window {@link #carry} was called for */
  long total() {
    return carriedTotal;
  }

  /** @return the error responses in the window {@link #carry} was called for */
  long errorCount() {
    return carriedErrors;
  }
}
