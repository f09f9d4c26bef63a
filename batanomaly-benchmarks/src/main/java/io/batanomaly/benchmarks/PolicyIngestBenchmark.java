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

/**
 * Throughput of {@link AnomalyEngine#ingest} on a stream of policy evaluations
 * ({@link EventStream#policyEvaluations}: 300 versions, 2% failures, log-normal execution times)
 * in batches of 1,000, one thread, reported in events per second. {@code detectors} selects
 * what runs: one policy-version detector by name, or {@code policy} for all three. The engine
 * ticks once per batch (every 200 ms of event time), so latency windows are judged and zombie
 * shares computed as in a live engine.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar PolicyIngestBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventStream.BATCH)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PolicyIngestBenchmark {

  /** Which detectors run: a policy-version detector's name, or all three. */
  @Param({"policy", "high_failure_rate", "zombie_version", "performance_degradation"})
  public String detectors;

  private ReplayClock clock;
  private AnomalyEngine engine;
  private ReplayCursor cursor;

  /** Builds the engine and the stream. */
  @Setup
  public void setUp() {
    clock = new ReplayClock();
    String names = detectors.equals("policy")
        ? "high_failure_rate,zombie_version,performance_degradation" : detectors;
    engine = Engines.build(names, clock);
    cursor = new ReplayCursor(
        EventStream.policyEvaluations("tenant-0", EventStream.DEFAULT_BATCHES, 42));
  }

  /** Closes the engine. */
  @TearDown
  public void tearDown() {
    engine.close();
  }

  /** Ingests one batch of 1,000 evaluations, then ticks. */
  @Benchmark
  public IngestResult ingest() {
    clock.advanceTo(cursor.peekMaxTime());
    IngestResult r = engine.ingest(cursor.next());
    engine.tick();
    return r;
  }
}
