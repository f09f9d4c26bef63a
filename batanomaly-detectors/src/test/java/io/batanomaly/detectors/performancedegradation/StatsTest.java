package io.batanomaly.detectors.performancedegradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.AtomicHistogram;
import org.HdrHistogram.Histogram;

/**
 * {@link PerformanceDegradationDetector.Stats#of} summarises a distribution in one walk; its
 * mean and standard deviation must be HdrHistogram's own to the last bit, since the verdicts
 * compare them with thresholds.
 */
class StatsTest {

  @Property(tries = 300)
  void theSummaryIsHdrHistogramsOwnToTheLastBit(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3_000) int samples, @ForAll boolean atomic) {
    Random random = new Random(seed);
    AbstractHistogram h = atomic ? new AtomicHistogram(VersionLatency.MAX_MICROS, 2)
        : new Histogram(2);
    double median = Math.exp(random.nextDouble() * 12);
    double sigma = random.nextDouble() * 1.5;
    for (int i = 0; i < samples; i++) {
      long micros = (long) (median * Math.exp(sigma * random.nextGaussian()));
      h.recordValue(Math.max(0, Math.min(micros, VersionLatency.MAX_MICROS)));
    }
    PerformanceDegradationDetector.Stats s = PerformanceDegradationDetector.Stats.of(h);
    assertThat(s.samples()).isEqualTo(h.getTotalCount());
    assertThat(Double.doubleToRawLongBits(s.mean()))
        .isEqualTo(Double.doubleToRawLongBits(h.getMean() / 1000.0));
    assertThat(Double.doubleToRawLongBits(s.sd()))
        .isEqualTo(Double.doubleToRawLongBits(h.getStdDeviation() / 1000.0));
    assertThat(s.p50()).isEqualTo(h.getValueAtPercentile(50) / 1000.0);
    assertThat(s.p95()).isEqualTo(h.getValueAtPercentile(95) / 1000.0);
    assertThat(s.p99()).isEqualTo(h.getValueAtPercentile(99) / 1000.0);
  }
}
