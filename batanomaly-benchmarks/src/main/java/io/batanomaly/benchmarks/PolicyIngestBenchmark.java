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
 * what runs: one policy-version detector by name, or {@code policy} for all three.
 *
 * <p>The engine ticks as a host's would. Its own scheduler ticks every
 * {@code ANOMALY_TICK_INTERVAL} of the engine clock (10 s by default); here the engine clock is
 * the replay clock, which follows the stream's event time, and {@code tickMillis} is the
 * engine-clock time between two ticks. At the default of 1 s the engine ticks once every 5
 * batches, as it would for a host ingesting this stream live (5,000 evaluations per second) and
 * ticking every second, ten times as often as the default interval: latency windows are judged
 * and zombie shares computed on time, as in a live engine. Ticking after every batch of 1,000
 * ({@code -p tickMillis=0}, what this benchmark did before) is a tick every 200 ms of event
 * time and, at the millions of evaluations per second measured here, thousands of ticks per
 * second of wall time, which no host gets: in a profile of that run, 15% of the time and about
 * half of the allocation were the tick's visit of every version.
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

  /**
   * Engine-clock milliseconds between two ticks: 1,000 ticks once per second of the stream's
   * event time (every 5 batches), 0 after every batch.
   */
  @Param({"1000"})
  public long tickMillis;

  private ReplayClock clock;
  private AnomalyEngine engine;
  private ReplayCursor cursor;
  private long lastTick;

  /** Builds the engine and the stream. */
  @Setup
  public void setUp() {
    clock = new ReplayClock();
    String names = detectors.equals("policy")
        ? "high_failure_rate,zombie_version,performance_degradation" : detectors;
    engine = Engines.build(names, clock);
    cursor = new ReplayCursor(
        EventStream.policyEvaluations("tenant-0", EventStream.DEFAULT_BATCHES, 42));
    lastTick = clock.millis();
  }

  /** Closes the engine. */
  @TearDown
  public void tearDown() {
    engine.close();
  }

  /**
   * Ingests one batch of 1,000 evaluations, then ticks if {@code tickMillis} of engine-clock
   * time have passed since the last tick.
   */
  @Benchmark
  public IngestResult ingest() {
    clock.advanceTo(cursor.peekMaxTime());
    IngestResult r = engine.ingest(cursor.next());
    long now = clock.millis();
    if (now - lastTick >= tickMillis) {
      engine.tick();
      lastTick = now;
    }
    return r;
  }
}
