package io.batanomaly.benchmarks;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EventBatch;
import io.batanomaly.IngestResult;
import java.util.Arrays;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The host path: the host holds its own records ({@link RequestLog.Line}: strings and
 * primitives, a request-log line parsed once) and turns each batch of 1,000 into what the
 * engine ingests inside the measured loop, then ingests it with the five audit detectors. All
 * contenders read the same records, so their ratios are the cost of adopting the library as a
 * host sees it.
 *
 * <ul>
 *   <li>{@code eventBatch}: each line's fields written into one reused {@link EventBatch}, no
 *       object per event;
 *   <li>{@code auditEventOf}: one {@link AuditEvent} per line through {@link AuditEvent#of},
 *       ingested as a list;
 *   <li>{@code auditEvents}: one {@link AuditEvent} per line through the builder, ingested as a
 *       list;
 *   <li>{@code naive}: the five rules by hand ({@link NaiveDetectors}) reading the records;
 *   <li>{@code floor}: a loop that only reads each record's fields.
 * </ul>
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar HostPathBenchmark -prof gc \
 *     -prof io.batanomaly.benchmarks.CpuTimeProfiler
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EventStream.BATCH)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class HostPathBenchmark {

  private RequestLog log;
  private ReplayClock clock;
  private AnomalyEngine engine;
  private NaiveDetectors naive;
  private final AuditEvent[] events = new AuditEvent[EventStream.BATCH];
  private final List<AuditEvent> eventList = Arrays.asList(events);
  private final EventBatch batch = new EventBatch(EventStream.BATCH);

  /** Parses the log and builds the engine. */
  @Setup
  public void setUp() {
    log = RequestLog.of(EventStream.generate("tenant-0", EventStream.DEFAULT_BATCHES, 42));
    clock = new ReplayClock();
    engine = Engines.build("audit", clock);
    naive = new NaiveDetectors();
  }

  /** Closes the engine. */
  @TearDown
  public void tearDown() {
    engine.close();
  }

  /** Writes the lines of a batch into the reused EventBatch and ingests it. */
  @Benchmark
  public IngestResult eventBatch() {
    clock.advanceTo(log.peekMaxTime());
    RequestLog.Line[] lines = log.next();
    long offset = log.offset();
    EventBatch b = batch;
    b.clear();
    for (RequestLog.Line l : lines) {
      b.add(l.tenant(), l.service(), l.epochMillis() + offset, l.method(), l.status(),
          l.identifier());
    }
    return engine.ingest(b);
  }

  /** Makes one AuditEvent per line of a batch with {@link AuditEvent#of} and ingests them. */
  @Benchmark
  public IngestResult auditEventOf() {
    clock.advanceTo(log.peekMaxTime());
    RequestLog.Line[] lines = log.next();
    long offset = log.offset();
    AuditEvent[] out = events;
    for (int i = 0; i < lines.length; i++) {
      RequestLog.Line l = lines[i];
      out[i] = AuditEvent.of(l.tenant(), l.service(), l.epochMillis() + offset, l.method(),
          l.status(), l.identifier());
    }
    return engine.ingest(eventList);
  }

  /** Builds one AuditEvent per line of a batch and ingests them. */
  @Benchmark
  public IngestResult auditEvents() {
    clock.advanceTo(log.peekMaxTime());
    RequestLog.Line[] lines = log.next();
    long offset = log.offset();
    AuditEvent[] out = events;
    for (int i = 0; i < lines.length; i++) {
      RequestLog.Line l = lines[i];
      out[i] = AuditEvent.builder()
          .tenant(l.tenant())
          .service(l.service())
          .epochMillis(l.epochMillis() + offset)
          .method(l.method())
          .status(l.status())
          .identifier(l.identifier())
          .build();
    }
    return engine.ingest(eventList);
  }

  /** Runs one batch of lines through the hand-written rules. */
  @Benchmark
  public long naive() {
    RequestLog.Line[] lines = log.next();
    long offset = log.offset();
    NaiveDetectors n = naive;
    for (RequestLog.Line l : lines) {
      n.observe(l.service(), l.epochMillis() + offset, "DELETE".equals(l.method()), l.status(),
          l.identifier());
    }
    return n.alerts();
  }

  /** Reads one batch of lines. */
  @Benchmark
  public long floor() {
    RequestLog.Line[] lines = log.next();
    long acc = log.offset();
    for (RequestLog.Line l : lines) {
      acc += l.epochMillis() + l.status() + (l.tenant() != null ? 1 : 0)
          + (l.service() != null ? 1 : 0) + (l.method() != null ? 1 : 0)
          + (l.identifier() != null ? 1 : 0);
    }
    return acc;
  }
}
