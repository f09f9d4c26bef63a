package io.batanomaly.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.notify.WebhookNotifier;
import io.batanomaly.notify.WebhookSignature;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Webhook delivery throughput, end to end: {@code deliver} hands {@value #BATCH} notifications to
 * a {@link WebhookNotifier} (JSON body, outbox record, Standard Webhooks signature, HTTP/1.1
 * POST over loopback on the notifier's four threads) and waits until a local JDK
 * {@code HttpServer} has acknowledged every one with 204; the score is deliveries per second.
 * {@code sign} is the signature of one attempt alone (HMAC-SHA256 over id, timestamp and a
 * 1.3 KB body), in nanoseconds. The receiver runs in the same JVM, on four threads of its own,
 * so the figure is what the sender and a trivial receiver manage together on this machine.
 *
 * <pre>
 * java -jar batanomaly-benchmarks/target/benchmarks.jar WebhookDeliveryBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class WebhookDeliveryBenchmark {
  static final int BATCH = 200;

  private HttpServer receiver;
  private ExecutorService receiverThreads;
  private WebhookNotifier notifier;
  private AnomalyNotification notification;
  private String secret;
  private String body;

  /** Starts the receiver and the notifier, and builds one notification. */
  @Setup
  public void setUp() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    receiverThreads = Executors.newFixedThreadPool(4);
    receiver.setExecutor(receiverThreads);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    secret = WebhookSignature.newSecret();
    notifier = WebhookNotifier.builder()
        .target(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))
        .secret(secret).maxPending(100_000).build();
    Instant at = Instant.parse("2026-03-01T10:00:00Z");
    HistoryEntry opening = new HistoryEntry(null, AnomalyStatus.OPEN, at,
        "12 failed logins from 10.0.0.7 within 300 s", Origin.DETECTOR, Map.of());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("failures", 12);
    metrics.put("threshold", 10);
    metrics.put("windowSeconds", 300);
    Anomaly a = new Anomaly("anom-1", "acme-corp", "BRUTE_FORCE", "10.0.0.7", "billing",
        "10.0.0.7", null, null, null, at, at, 1, AnomalyStatus.OPEN, Severity.HIGH,
        "12 failed logins from 10.0.0.7 within 300 s", metrics,
        List.of("block 10.0.0.7", "review the account's recent sign-ins"), List.of(opening));
    AuditEvent alert = AuditEvent.builder().tenant("acme-corp").service("billing").timestamp(at)
        .eventType(AuditEvent.ALERT_EVENT_TYPE).build();
    notification = new AnomalyNotification(AnomalyNotification.Kind.OPENED, a, alert, opening);
    body = "{\"deliveryId\":\"0b6c2f5e-8d1a-4c1e-9f55-2a7e1d3c4b5a\",\"event\":\"anomaly.opened\","
        + "\"anomaly\":" + "{\"summary\":\"12 failed logins from 10.0.0.7\"}".repeat(26) + "}";
  }

  /** Stops the notifier and the receiver. */
  @TearDown
  public void tearDown() {
    notifier.close();
    receiver.stop(0);
    receiverThreads.shutdownNow();
  }

  /**
   * Sends {@value #BATCH} notifications and waits until each is acknowledged.
   *
   * @return the deliveries acknowledged so far
   */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public long deliver() {
    long target = notifier.stats().delivered() + BATCH;
    for (int i = 0; i < BATCH; i++) {
      notifier.onNotification(notification);
    }
    long delivered;
    while ((delivered = notifier.stats().delivered()) < target) {
      LockSupport.parkNanos(20_000);
    }
    return delivered;
  }

  /**
   * Signs one attempt.
   *
   * @return the signature
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public String sign() {
    return WebhookSignature.sign(secret, "0b6c2f5e-8d1a-4c1e-9f55-2a7e1d3c4b5a", 1_772_359_200L,
        body);
  }
}
