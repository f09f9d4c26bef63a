package io.batanomaly.benchmarks;

import java.util.Collection;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * A JMH profiler that reports the latency of each {@code ingest} call (one batch of 1,000
 * events) as HdrHistogram percentiles: {@code batch.p50}, {@code batch.p90}, {@code batch.p99},
 * {@code batch.p99.9} and {@code batch.max}, in microseconds, per iteration (the JSON holds the
 * average over iterations, and the largest maximum).
 *
 * <p>Benchmarks that ingest record into {@link #RECORDER} around each call (two
 * {@code System.nanoTime()} reads per batch, about 50 ns against tens of microseconds); the
 * recorder is wait-free and allocates nothing, and tolerates several recording threads.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar IngestBenchmark -p detectors=audit \
 *     -prof io.batanomaly.benchmarks.BatchLatencyProfiler
 * </pre>
 */
public final class BatchLatencyProfiler implements InternalProfiler {

  /** Batch latencies in nanoseconds, up to one minute, three significant digits. */
  public static final Recorder RECORDER = new Recorder(60_000_000_000L, 3);

  private Histogram interval;

  @Override
  public String getDescription() {
    return "latency percentiles of each ingest call (HdrHistogram)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    // drops what warm-up or an earlier iteration recorded
    interval = RECORDER.getIntervalHistogram(interval);
  }

  @Override
  public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
      IterationParams iterationParams, IterationResult result) {
    interval = RECORDER.getIntervalHistogram(interval);
    Histogram h = interval;
    if (h.getTotalCount() == 0) {
      return List.of();
    }
    return List.of(
        micros("batch.p50", h.getValueAtPercentile(50), AggregationPolicy.AVG),
        micros("batch.p90", h.getValueAtPercentile(90), AggregationPolicy.AVG),
        micros("batch.p99", h.getValueAtPercentile(99), AggregationPolicy.AVG),
        micros("batch.p99.9", h.getValueAtPercentile(99.9), AggregationPolicy.AVG),
        micros("batch.max", h.getMaxValue(), AggregationPolicy.MAX));
  }

  private static ScalarResult micros(String label, long nanos, AggregationPolicy policy) {
    return new ScalarResult(label, nanos / 1000.0, "us", policy);
  }
}
