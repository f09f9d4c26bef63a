package io.batanomaly.detectors.volumespike;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.window.BucketRing;

/**
 * The volume-spike rule over a ring of one-second buckets. For the {@code c} buckets of the
 * current window ending with bucket {@code e}, with count {@code C}, and the {@code b} buckets
 * before them that make up the rest of the volume window, with mean {@code m} and sample
 * variance {@code s²} per bucket:
 *
 * <pre>{@code
 * expected = c * m
 * sigma    = sqrt(c * max(s², m))              Poisson floor: never below sqrt(expected)
 * z        = (C - expected) / sigma
 * spike  <=> z > ANOMALY_VOLUME_THRESHOLD
 *        and m / bucketSeconds >= ANOMALY_VOLUME_MIN_BASELINE_RATE
 *        and C >= ANOMALY_VOLUME_MIN_RATIO * expected
 *        and C - expected >= ANOMALY_VOLUME_MIN_INCREASE
 * }</pre>
 *
 * <p>The detector reuses a baseline for {@link #BASELINE_REFRESH_BUCKETS} seconds (so it may end
 * up to 9 s before the current window starts); verification always computes a fresh one.
 * Evaluating allocates nothing unless the rule holds, evidence is asked for, or the baseline is
 * refreshed. Immutable and thread-safe; the ring is read without blocking its writers.
 */
final class SpikeRule {
  /** Width of a bucket: one second. */
  static final long BUCKET_MILLIS = 1000;

  final double zThreshold;
  final double minBaselineRate;
  final double minRatio;
  final double minIncrease;
  final int windowBuckets;
  final int currentBuckets;

  SpikeRule(double zThreshold, double minBaselineRate, double minRatio, double minIncrease,
      long windowMillis, long currentMillis) {
    this.zThreshold = zThreshold;
    this.minBaselineRate = minBaselineRate;
    this.minRatio = minRatio;
    this.minIncrease = minIncrease;
    this.windowBuckets = (int) (windowMillis / BUCKET_MILLIS);
    this.currentBuckets = (int) (currentMillis / BUCKET_MILLIS);
  }

  /**
   * Reads the rule from a configuration.
   *
   * @throws IllegalArgumentException if the current window is more than half the volume window
   */
  static SpikeRule from(AnomalyConfig config) {
    long window = config.get(AnomalySettings.VOLUME_WINDOW).toMillis();
    long current = config.get(VolumeSpikeSettings.CURRENT_WINDOW).toMillis();
    if (current * 2 > window) {
      throw new IllegalArgumentException(VolumeSpikeSettings.CURRENT_WINDOW.key()
          + " must be at most half of " + AnomalySettings.VOLUME_WINDOW.key() + " ("
          + window / 1000 + "), but was '" + current / 1000 + "'");
    }
    return new SpikeRule(config.get(AnomalySettings.VOLUME_THRESHOLD),
        config.get(VolumeSpikeSettings.MIN_BASELINE_RATE),
        config.get(VolumeSpikeSettings.MIN_RATIO),
        config.get(VolumeSpikeSettings.MIN_INCREASE), window, current);
  }

  /** @return the buckets of the baseline: the volume window minus the current window */
  int baselineBuckets() {
    return windowBuckets - currentBuckets;
  }

  /** How many buckets a baseline is reused for before it is recomputed. */
  static final int BASELINE_REFRESH_BUCKETS = 10;

  /**
   * The baseline of a service: sum and sum of squares of its {@link #baselineBuckets()} buckets
   * ending with {@code lastEpoch}. Immutable.
   *
   * @param lastEpoch the last bucket of the baseline
   * @param sum the sum of its counts
   * @param squares the sum of its squared counts
   */
  record Baseline(long lastEpoch, double sum, double squares) {}

  /**
   * Returns the baseline for a current window ending with {@code lastEpoch}: {@code cached}
   * while it ends fewer than {@link #BASELINE_REFRESH_BUCKETS} buckets before the current
   * window starts, else a new one ending just before it. The baseline moves slowly, so
   * reading its 280 buckets once every ten seconds instead of every second changes little but
   * the cost.
   *
   * @param ring the service's counts
   * @param lastEpoch the last bucket of the current window
   * @param cached the baseline used last time, or {@code null}
   * @return the baseline to use
   */
  Baseline baseline(BucketRing ring, long lastEpoch, Baseline cached) {
    return baseline(ring, lastEpoch, cached, null);
  }

  /**
   * Tells whether a baseline may still be used for a current window that starts after bucket
   * {@code end}: while it ends fewer than {@link #BASELINE_REFRESH_BUCKETS} buckets before.
   */
  boolean isFresh(Baseline cached, long end) {
    return end - cached.lastEpoch() >= 0 && end - cached.lastEpoch() < BASELINE_REFRESH_BUCKETS;
  }

  /**
   * As {@link #baseline(BucketRing, long, Baseline)}; when it reads a new baseline, also copies
   * the counts of its oldest buckets into {@code head}.
   *
   * @param head receives the first {@code head.length} counts of a new baseline (fewer if the
   *     baseline is shorter), or {@code null}
   */
  Baseline baseline(BucketRing ring, long lastEpoch, Baseline cached, long[] head) {
    long end = lastEpoch - currentBuckets;
    if (cached != null && isFresh(cached, end)) {
      return cached;
    }
    long first = end - baselineBuckets() + 1;
    // one pass over the ring's slots for both sums; the sums then run over a local copy
    long[] counts = SCRATCH.get();
    if (counts.length < baselineBuckets()) {
      counts = new long[baselineBuckets()];
      SCRATCH.set(counts);
    }
    int n = ring.counts(first, end, counts);
    long sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      long c = counts[i];
      sum += c;
      double d = c;
      squares += d * d;
    }
    if (head != null) {
      System.arraycopy(counts, 0, head, 0, Math.min(n, head.length));
    }
    return new Baseline(end, sum, squares);
  }

  /** Each judging thread's copy of a baseline's counts. */
  private static final ThreadLocal<long[]> SCRATCH = ThreadLocal.withInitial(() -> new long[0]);

  /**
   * Evaluates the rule for the current window ending with bucket {@code lastEpoch} against a
   * fresh baseline.
   *
   * @param ring the service's one-second counts
   * @param lastEpoch the last bucket of the current window
   * @param always return the verdict even when the rule does not hold
   * @return the verdict, or {@code null} when the rule does not hold and {@code always} is off
   */
  Verdict evaluate(BucketRing ring, long lastEpoch, boolean always) {
    return evaluate(ring, lastEpoch, always, baseline(ring, lastEpoch, null));
  }

  /**
   * Evaluates the rule for the current window ending with bucket {@code lastEpoch}.
   *
   * @param ring the service's one-second counts
   * @param lastEpoch the last bucket of the current window
   * @param always return the verdict even when the rule does not hold
   * @param baseline the baseline, from {@link #baseline}
   * @return the verdict, or {@code null} when the rule does not hold and {@code always} is off
   */
  Verdict evaluate(BucketRing ring, long lastEpoch, boolean always, Baseline baseline) {
    return evaluate(ring, lastEpoch, always, baseline,
        ring.sum(lastEpoch - currentBuckets + 1, lastEpoch));
  }

  /**
   * Evaluates the rule for the current window ending with bucket {@code lastEpoch}, whose sum
   * the caller has.
   *
   * @param ring the service's one-second counts
   * @param lastEpoch the last bucket of the current window
   * @param always return the verdict even when the rule does not hold
   * @param baseline the baseline, from {@link #baseline}
   * @param current the sum of the current window's buckets
   * @return the verdict, or {@code null} when the rule does not hold and {@code always} is off
   */
  Verdict evaluate(BucketRing ring, long lastEpoch, boolean always, Baseline baseline,
      long current) {
    long currentFirst = lastEpoch - currentBuckets + 1;
    int b = baselineBuckets();
    double sum = baseline.sum();
    double mean = sum / b;
    double variance = b > 1 ? Math.max(0, (baseline.squares() - sum * mean) / (b - 1)) : 0;
    double perBucketSigma = Math.sqrt(Math.max(variance, mean));
    double expected = currentBuckets * mean;
    double sigma = Math.sqrt(currentBuckets) * perBucketSigma;
    double z = sigma > 0 ? (current - expected) / sigma : 0;
    double baselineRate = mean * 1000.0 / BUCKET_MILLIS;
    boolean holds = sigma > 0
        && z > zThreshold
        && baselineRate >= minBaselineRate
        && current >= minRatio * expected
        && current - expected >= minIncrease;
    if (!holds && !always) {
      return null;
    }
    long baselineEnd = baseline.lastEpoch() + 1;
    return new Verdict(holds, current, expected, baselineRate, perBucketSigma,
        Math.sqrt(variance), z, expected > 0 ? current / expected : Double.POSITIVE_INFINITY,
        ring.startOf(baselineEnd - b), ring.startOf(baselineEnd), ring.startOf(currentFirst),
        ring.startOf(lastEpoch + 1));
  }

  /**
   * One evaluation.
   *
   * @param holds whether the rule holds
   * @param current events in the current window
   * @param expected events the baseline expects in it
   * @param baselineRate baseline mean, events per second
   * @param baselineSigma the per-bucket deviation used, after the Poisson floor
   * @param observedSigma the baseline's sample deviation per bucket, before the floor
   * @param z the z-score
   * @param ratio current divided by expected
   * @param baselineStart first millisecond of the baseline
   * @param baselineEnd end of the baseline, exclusive
   * @param currentStart first millisecond of the current window
   * @param currentEnd end of the current window, exclusive
   */
  record Verdict(boolean holds, long current, double expected, double baselineRate,
      double baselineSigma, double observedSigma, double z, double ratio, long baselineStart,
      long baselineEnd, long currentStart, long currentEnd) {}
}
