package io.batanomaly.benchmarks;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.IngestResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scaling of {@link AnomalyEngine#ingest} with the five audit detectors: one engine, ingested
 * from one and from two threads, each thread replaying its own tenant's stream (JMH reports the
 * total over threads). The ratio {@code twoThreads / oneThread} is the speed-up; it can only
 * reach 2 on a machine whose two cores are otherwise idle, so compare the per-CPU figures of
 * {@link CpuTimeProfiler} too.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar ConcurrentIngestBenchmark \
 *     -prof io.batanomaly.benchmarks.CpuTimeProfiler
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventStream.BATCH)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ConcurrentIngestBenchmark {

  private ReplayClock clock;
  private AnomalyEngine engine;

  /** Builds the engine. */
  @Setup
  public void setUp() {
    clock = new ReplayClock();
    engine = Engines.build("audit", clock);
  }

  /** Closes the engine. */
  @TearDown
  public void tearDown() {
    engine.close();
  }

  /** One thread ingests batches of 1,000 events. */
  @Benchmark
  @Threads(1)
  public IngestResult oneThread(IngestBenchmark.Feed feed) {
    return IngestBenchmark.timedIngest(engine, clock, feed.cursor);
  }

  /** Two threads ingest batches of 1,000 events, each its own tenant. */
  @Benchmark
  @Threads(2)
  public IngestResult twoThreads(IngestBenchmark.Feed feed) {
    return IngestBenchmark.timedIngest(engine, clock, feed.cursor);
  }
}
