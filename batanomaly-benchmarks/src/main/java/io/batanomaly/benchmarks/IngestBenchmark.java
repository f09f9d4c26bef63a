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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Throughput of {@link AnomalyEngine#ingest} on the {@link EventStream} in batches of 1,000, one
 * thread, reported in events per second. {@code detectors} selects what runs: {@code none} (the
 * bare pipeline: validation, tenant and service resolution, lateness), {@code audit} (the five
 * audit detectors), or one detector by name.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar IngestBenchmark -prof gc
 * java -jar batanomaly-benchmarks/target/benchmarks.jar IngestBenchmark -p detectors=none
 * java -jar batanomaly-benchmarks/target/benchmarks.jar IngestBenchmark -p detectors=audit \
 *     -prof io.batanomaly.benchmarks.BatchLatencyProfiler -prof gc
 * </pre>
 *
 * <p>Each call records its latency for {@link BatchLatencyProfiler}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventStream.BATCH)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class IngestBenchmark {

  /** Which detectors run: none, audit, or a provider name. */
  @Param({"none", "audit", "volume_spike", "error_rate", "brute_force", "mass_delete",
      "silent_service"})
  public String detectors;

  private ReplayClock clock;
  private AnomalyEngine engine;

  /** The stream one benchmark thread replays, on its own tenant. */
  @State(Scope.Thread)
  public static class Feed {
    ReplayCursor cursor;

    /** Generates this thread's stream. */
    @Setup
    public void setUp(ThreadParams thread) {
      int i = thread.getThreadIndex();
      cursor = new ReplayCursor(
          EventStream.generate("tenant-" + i, EventStream.DEFAULT_BATCHES, 42 + i));
    }
  }

  /** Builds the engine. */
  @Setup
  public void setUp() {
    clock = new ReplayClock();
    engine = Engines.build(detectors, clock);
  }

  /** Closes the engine. */
  @TearDown
  public void tearDown() {
    engine.close();
  }

  /** Ingests one batch of 1,000 events, recording its latency. */
  @Benchmark
  public IngestResult ingest(Feed feed) {
    return timedIngest(engine, clock, feed.cursor);
  }

  /**
   * Sets the clock to the next batch, ingests it, and records the call's latency in
   * {@link BatchLatencyProfiler#RECORDER}.
   */
  static IngestResult timedIngest(AnomalyEngine engine, ReplayClock clock, ReplayCursor cursor) {
    clock.advanceTo(cursor.peekMaxTime());
    java.util.List<io.batanomaly.AuditEvent> batch = cursor.next();
    long start = System.nanoTime();
    IngestResult r = engine.ingest(batch);
    BatchLatencyProfiler.RECORDER.recordValue(System.nanoTime() - start);
    return r;
  }
}
