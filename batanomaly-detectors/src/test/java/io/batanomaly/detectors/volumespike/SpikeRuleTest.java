package io.batanomaly.detectors.volumespike;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.detectors.Traffic;
import io.batanomaly.window.BucketRing;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SpikeRuleTest {

  private static final long WINDOW = 300_000;

  private static BucketRing ring() {
    return new BucketRing(1000, BucketRing.bucketsFor(WINDOW, 10_000, 1000), 0);
  }

  /** Fills seconds [from, to) with {@code perSecond} events each. */
  private static void fill(BucketRing ring, long from, long to, int perSecond) {
    for (long s = from; s < to; s++) {
      if (perSecond > 0) {
        ring.add(s * 1000, perSecond);
      }
    }
  }

  /** A rule with every guard off but the z-score. */
  private static SpikeRule zOnly() {
    return new SpikeRule(3.0, 0, 1e-9, 0, WINDOW, 20_000);
  }

  @Test
  void firesOnlyWhenTheZScoreExceedsTheThreshold() {
    // baseline: 100 per second, no variance, so sigma is the Poisson floor sqrt(20 * 100)
    // expected 2000 in the 20 s current window; z = 3 at 2134.16
    BucketRing below = ring();
    fill(below, 0, 280, 100);
    fill(below, 280, 299, 100);
    below.add(299_000, 100 + 134);
    SpikeRule.Verdict v = zOnly().evaluate(below, 299, true);
    assertThat(v.current()).isEqualTo(2134);
    assertThat(v.z()).isLessThan(3.0);
    assertThat(v.holds()).isFalse();

    BucketRing above = ring();
    fill(above, 0, 280, 100);
    fill(above, 280, 299, 100);
    above.add(299_000, 100 + 135);
    SpikeRule.Verdict w = zOnly().evaluate(above, 299, true);
    assertThat(w.z()).isGreaterThan(3.0);
    assertThat(w.holds()).isTrue();
  }

  @Test
  void usesTheBaselineDeviationWhenItIsWiderThanPoisson() {
    // a bursty baseline (0 or 20 per second, mean 10, variance ~100) widens sigma ten-fold
    BucketRing ring = ring();
    for (long s = 0; s < 280; s++) {
      if (s % 2 == 0) {
        ring.add(s * 1000, 20);
      }
    }
    fill(ring, 280, 300, 14);
    SpikeRule.Verdict v = zOnly().evaluate(ring, 299, true);
    assertThat(v.expected()).isEqualTo(200.0);
    assertThat(v.baselineSigma()).isGreaterThan(9.9);
    assertThat(v.holds()).isFalse();
    // the same current count against a steady baseline of 10 is a spike
    BucketRing steady = ring();
    fill(steady, 0, 280, 10);
    fill(steady, 280, 300, 14);
    assertThat(zOnly().evaluate(steady, 299, true).holds()).isTrue();
  }

  @Test
  void eachGuardAloneBlocksAFindingTheZScoreWouldRaise() {
    // baseline 1/s, current 3/s: z = (60 - 20) / sqrt(20) = 8.9, ratio 3, increase 40
    BucketRing ring = ring();
    fill(ring, 0, 280, 1);
    fill(ring, 280, 300, 3);
    assertThat(new SpikeRule(3.0, 0.5, 2.2, 25, WINDOW, 20_000).evaluate(ring, 299, false))
        .isNotNull();
    assertThat(new SpikeRule(3.0, 1.5, 2.2, 25, WINDOW, 20_000).evaluate(ring, 299, false))
        .as("minimum baseline rate").isNull();
    assertThat(new SpikeRule(3.0, 0.5, 3.5, 25, WINDOW, 20_000).evaluate(ring, 299, false))
        .as("minimum ratio").isNull();
    assertThat(new SpikeRule(3.0, 0.5, 2.2, 45, WINDOW, 20_000).evaluate(ring, 299, false))
        .as("minimum increase").isNull();
    assertThat(new SpikeRule(9.0, 0.5, 2.2, 25, WINDOW, 20_000).evaluate(ring, 299, false))
        .as("z threshold").isNull();
  }

  @Test
  void theCurrentWindowIsTheLastBucketsAndTheBaselineTheRestOfTheWindow() {
    BucketRing ring = ring();
    fill(ring, 0, 280, 2);
    fill(ring, 280, 300, 7);
    // an event older than the volume window is outside both
    ring.add(-1, 1000);
    SpikeRule.Verdict v = zOnly().evaluate(ring, 299, true);
    assertThat(v.current()).isEqualTo(140);
    assertThat(v.baselineRate()).isEqualTo(2.0);
    assertThat(v.baselineStart()).isEqualTo(0);
    assertThat(v.baselineEnd()).isEqualTo(280_000);
    assertThat(v.currentStart()).isEqualTo(280_000);
    assertThat(v.currentEnd()).isEqualTo(300_000);
  }

  @Test
  void reusesABaselineForTenSecondsThenRecomputesIt() {
    SpikeRule rule = zOnly();
    BucketRing ring = ring();
    fill(ring, 0, 310, 3);
    SpikeRule.Baseline first = rule.baseline(ring, 299, null);
    assertThat(first.lastEpoch()).isEqualTo(279);
    assertThat(first.sum()).isEqualTo(840.0);
    assertThat(first.squares()).isEqualTo(2520.0);
    assertThat(rule.baseline(ring, 308, first)).isSameAs(first);
    SpikeRule.Baseline next = rule.baseline(ring, 309, first);
    assertThat(next).isNotSameAs(first);
    assertThat(next.lastEpoch()).isEqualTo(289);
    // a baseline from a later bucket (a late judgement) is not reused either
    assertThat(rule.baseline(ring, 299, next).lastEpoch()).isEqualTo(279);
  }

  @Test
  void rejectsACurrentWindowLongerThanHalfTheVolumeWindow() {
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set(VolumeSpikeSettings.CURRENT_WINDOW, Duration.ofSeconds(200)).build();
    assertThatThrownBy(() -> SpikeRule.from(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ANOMALY_VOLUME_CURRENT_WINDOW must be at most half of"
            + " ANOMALY_VOLUME_WINDOW (300), but was '200'");
    assertThat(SpikeRule.from(config.toBuilder()
        .set(AnomalySettings.VOLUME_WINDOW, Duration.ofSeconds(400)).build()).currentBuckets)
        .isEqualTo(200);
  }

  /**
   * The quiet requirement: stationary Poisson traffic over many services for a simulated day,
   * at default settings, raises at most one finding per 100,000 bucket evaluations. Half the
   * services sit where the rule is weakest (0.8 to 1.6 events/s, where the absolute and
   * relative guards meet), the others spread from 0.3 to 60 events/s. Buckets are judged as
   * the detector judges them: when a second's first event opens its bucket, with the baseline
   * refreshed every ten seconds.
   */
  @Test
  @Timeout(120)
  void raisesAtMostOneFalseAlertPer100000BucketEvaluationsOnStationaryPoissonTraffic() {
    SpikeRule rule = SpikeRule.from(AnomalyConfig.defaults());
    SplittableRandom random = new SplittableRandom(20_260_302L);
    int services = 60;
    long seconds = 86_400;
    long evaluations = 0;
    long alerts = 0;
    for (int i = 0; i < services; i++) {
      double rate = i % 2 == 0
          ? 0.8 * Math.pow(2, random.nextDouble())
          : 0.3 * Math.pow(200, random.nextDouble());
      BucketRing ring = ring();
      SpikeRule.Baseline baseline = null;
      for (long s = 0; s < seconds; s++) {
        int n = Traffic.poissonCount(rate, random);
        if (n > 0 && ring.add(s * 1000, n) == BucketRing.OPENED && s >= rule.windowBuckets) {
          evaluations++;
          baseline = rule.baseline(ring, s - 1, baseline);
          if (rule.evaluate(ring, s - 1, false, baseline) != null) {
            alerts++;
          }
        }
      }
    }
    assertThat(evaluations).isGreaterThan(3_000_000);
    assertThat(alerts).isLessThanOrEqualTo(evaluations / 100_000);
  }
}
