package io.batanomaly.benchmarks;

import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.internal.NotificationDispatcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What handing one notification to the listeners costs the thread that opened the anomaly
 * (ingest, a tick or a triage call), in nanoseconds. {@code listeners}: {@code none};
 * {@code fast}, one listener that returns at once; {@code hanging}, one listener that never
 * returns, so its queue is full and every offer takes the drop path; {@code hangingAndFast},
 * both, each on its own queue.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar NotificationDispatchBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class NotificationDispatchBenchmark {

  /** Which listeners are registered. */
  @Param({"none", "fast", "hanging", "hangingAndFast"})
  public String listeners;

  private final CountDownLatch release = new CountDownLatch(1);
  private NotificationDispatcher dispatcher;
  private AnomalyNotification notification;

  /** Builds the dispatcher and one notification. */
  @Setup
  public void setUp() {
    AnomalyListener fast = n -> { };
    AnomalyListener hanging = n -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    List<AnomalyListener> list;
    switch (listeners) {
      case "fast":
        list = List.of(fast);
        break;
      case "hanging":
        list = List.of(hanging);
        break;
      case "hangingAndFast":
        list = List.of(hanging, fast);
        break;
      default:
        list = List.of();
    }
    dispatcher = new NotificationDispatcher(list, 10_000);
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    HistoryEntry opening =
        new HistoryEntry(null, AnomalyStatus.OPEN, at, "s", Origin.DETECTOR, Map.of());
    Anomaly a = new Anomaly("anom-1", "acme-corp", "BRUTE_FORCE", "10.0.0.7", "billing",
        "10.0.0.7", null, null, null, at, at, 1, AnomalyStatus.OPEN, Severity.HIGH, "s",
        Map.of(), List.of(), List.of(opening));
    AuditEvent alert = AuditEvent.builder().tenant("acme-corp").service("billing").timestamp(at)
        .eventType(AuditEvent.ALERT_EVENT_TYPE).build();
    notification = new AnomalyNotification(AnomalyNotification.Kind.OPENED, a, alert, opening);
  }

  /** Releases the hanging listener and stops the dispatcher. */
  @TearDown
  public void tearDown() {
    release.countDown();
    dispatcher.close();
  }

  /** Offers one notification to every listener's queue. */
  @Benchmark
  public void offer() {
    dispatcher.accept(notification);
  }
}
