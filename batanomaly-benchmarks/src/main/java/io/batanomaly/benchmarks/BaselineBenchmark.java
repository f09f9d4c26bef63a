package io.batanomaly.benchmarks;

import io.batanomaly.AuditEvent;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two reference points of {@link IngestBenchmark}, on the same replayed stream.
 *
 * <p>{@code floor}: a loop that only reads the fields a detector reads from each event of a batch
 * (tenant, service, time, method, status, identifier; the string references, not their
 * characters), No engine can ingest faster than this.
 *
 * <p>{@code naive}: the five audit rules written by hand with {@code HashMap<String,
 * ArrayDeque<Long>>} ({@link NaiveDetectors}), what the library competes with. Run it in the
 * same invocation as {@code IngestBenchmark -p detectors=audit} so the ratio is side by side.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar BaselineBenchmark.floor -prof gc
 * java -jar batanomaly-benchmarks/target/benchmarks.jar 'BaselineBenchmark.naive|IngestBenchmark' \
 *     -p detectors=audit -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventStream.BATCH)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BaselineBenchmark {

  private ReplayCursor cursor;
  private NaiveDetectors naive;

  /** Generates the stream. */
  @Setup
  public void setUp() {
    cursor = new ReplayCursor(EventStream.generate("tenant-0", EventStream.DEFAULT_BATCHES, 42));
    naive = new NaiveDetectors();
  }

  /** Runs one batch of 1,000 events through the hand-written rules. */
  @Benchmark
  public long naive() {
    NaiveDetectors n = naive;
    for (AuditEvent e : cursor.nextArray()) {
      n.observe(e);
    }
    return n.alerts();
  }

  /** Reads one batch of 1,000 events. */
  @Benchmark
  public long floor() {
    long acc = 0;
    for (AuditEvent e : cursor.nextArray()) {
      acc += e.epochMillis() + e.status() + (e.isDelete() ? 1 : 0)
          + (e.tenant() != null ? 1 : 0) + (e.service() != null ? 1 : 0)
          + (e.identifier() != null ? 1 : 0);
    }
    return acc;
  }
}
