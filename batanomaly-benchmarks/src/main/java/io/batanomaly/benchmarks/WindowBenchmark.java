package io.batanomaly.benchmarks;

import io.batanomaly.window.BucketRing;
import io.batanomaly.window.KeyedState;
import io.batanomaly.window.ThresholdRing;
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
 * The window primitives on their own, one thread, in operations per second:
 * {@link BucketRing#add} with event time advancing so buckets roll over, {@link
 * ThresholdRing#record} with k = 10 (the brute-force default), and {@link KeyedState#get} of
 * 100,000 tracked identifiers in Zipf order.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar WindowBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class WindowBenchmark {
  private static final int OPS = 1_024;

  private BucketRing ring;
  private ThresholdRing threshold;
  private KeyedState<String, long[]> keyed;
  private String[] lookups;
  private long time;
  private int cursor;

  /** Builds the primitives and the lookup sequence. */
  @Setup
  public void setUp() {
    ring = new BucketRing(10_000, BucketRing.bucketsFor(300_000, 10_000, 10_000),
        EventStream.START_MILLIS);
    threshold = new ThresholdRing(10);
    keyed = new KeyedState<>(EventStream.IDENTIFIERS, k -> new long[1],
        new KeyedState.Policy<long[]>() {
          @Override
          public boolean isExpired(long[] entry, long nowMillis) {
            return false;
          }

          @Override
          public boolean isProtected(long[] entry, long nowMillis) {
            return true;
          }

          @Override
          public long lastTouched(long[] entry) {
            return entry[0];
          }
        });
    String[] ids = EventStream.identifierNames(EventStream.IDENTIFIERS);
    for (String id : ids) {
      keyed.getOrCreate(id, 0);
    }
    // identifiers in the order the stream sends them (Zipf-skewed), one batch's worth per op
    lookups = new String[EventStream.BATCH * 64];
    EventStream s = EventStream.generate("tenant-0", 64, 7);
    for (int b = 0; b < 64; b++) {
      for (int i = 0; i < EventStream.BATCH; i++) {
        lookups[b * EventStream.BATCH + i] = s.batch(b)[i].identifier();
      }
    }
    time = EventStream.START_MILLIS;
  }

  /** Counts 1,024 events into a 300 s ring of 10 s buckets, 0.2 ms of event time apart. */
  @Benchmark
  @OperationsPerInvocation(OPS)
  public int bucketRingAdd() {
    int r = 0;
    long t = time;
    for (int i = 0; i < OPS; i++) {
      r += ring.add(t + (i / 5));
    }
    time = t + OPS / 5;
    return r;
  }

  /** Records 1,024 timestamps, 0.2 ms apart, into a ring of the 10 latest. */
  @Benchmark
  @OperationsPerInvocation(OPS)
  public int thresholdRingRecord() {
    int r = 0;
    long t = time;
    for (int i = 0; i < OPS; i++) {
      r += threshold.record(t + (i / 5)) ? 1 : 0;
    }
    time = t + OPS / 5;
    return r;
  }

  /** Looks up 1,024 identifiers among 100,000 tracked ones. */
  @Benchmark
  @OperationsPerInvocation(OPS)
  public long keyedStateGet() {
    long r = 0;
    int c = cursor;
    String[] l = lookups;
    for (int i = 0; i < OPS; i++) {
      r += keyed.get(l[c]).length;
      c = c + 1 == l.length ? 0 : c + 1;
    }
    cursor = c;
    return r;
  }
}
