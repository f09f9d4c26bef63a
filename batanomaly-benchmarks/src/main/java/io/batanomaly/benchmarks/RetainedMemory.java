package io.batanomaly.benchmarks;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures the heap an engine with the five audit detectors retains per tracked identifier and
 * per tracked service: heap used after full collections, before and after ingesting events
 * that make the engine track many new identifiers (one 401 each, all inside the brute-force
 * window) or many new services (one request each), divided by their number.
 *
 * <p>The identifier and service strings are kept alive by the harness in both measurements,
 * so the figures are the engine's own cost of tracking a key; a host that drops its events
 * after ingesting them also keeps each tracked key's string alive through the engine (about 56
 * bytes for a 10-character Latin-1 string), reported separately.
 *
 * <p>Not a JMH benchmark: a plain program, since it measures memory, not time. Run it with the
 * serial collector so "used after a full collection" is exactly the live heap:
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx1g -cp batanomaly-benchmarks/target/benchmarks.jar \
 *     io.batanomaly.benchmarks.RetainedMemory
 * </pre>
 */
public final class RetainedMemory {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private RetainedMemory() {}

  /**
   * Runs the measurements and prints one line per figure.
   *
   * @param args {@code [identifiers [services]]}, by default 100,000 and 5,000
   * @throws InterruptedException if interrupted while letting the collector settle
   */
  public static void main(String[] args) throws InterruptedException {
    int identifiers = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int services = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    System.out.printf("per identifier: %.1f bytes (%d identifiers, audit detectors)%n",
        perIdentifier(identifiers), identifiers);
    System.out.printf("per service:    %.1f bytes (%d services, audit detectors)%n",
        perService(services), services);
    System.out.printf("per identifier string kept alive: %.1f bytes (\"user-12345\")%n",
        perString(identifiers));
  }

  /** Engine bytes per identifier with one 401 inside the window. */
  static double perIdentifier(int n) throws InterruptedException {
    ReplayClock clock = new ReplayClock();
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = "id-" + i;
    }
    try (AnomalyEngine engine = Engines.build("audit", clock)) {
      long t = EventStream.START_MILLIS;
      // services, tenant and detector state created first, so only identifiers are counted
      ingest(engine, clock, 0, 1, t, 200);
      long before = usedAfterGc();
      List<AuditEvent> batch = new ArrayList<>(EventStream.BATCH);
      for (int i = 0; i < n; i++) {
        // 100 s of event time in all: every failure stays inside the 300 s window
        long at = t + (long) i * 100_000 / n;
        batch.add(AuditEvent.builder().tenant("tenant-0").service("svc-000").epochMillis(at)
            .method("POST").status(401).identifier(ids[i]).eventType("http.request").build());
        if (batch.size() == EventStream.BATCH || i == n - 1) {
          clock.advanceTo(at);
          check(engine.ingest(batch), batch.size());
          batch.clear();
        }
      }
      long tracked = engine.health().detectors().get("brute_force").get("keysTracked");
      if (tracked != n) {
        throw new IllegalStateException("expected " + n + " identifiers tracked, but "
            + tracked + " are");
      }
      long after = usedAfterGc();
      keepAlive(ids);
      return (double) (after - before) / n;
    }
  }

  /** Engine bytes per service that sent one event. */
  static double perService(int n) throws InterruptedException {
    ReplayClock clock = new ReplayClock();
    try (AnomalyEngine engine = Engines.build("audit", clock)) {
      long t = EventStream.START_MILLIS;
      ingest(engine, clock, 0, 1, t, 1);
      String[] names = new String[n];
      for (int i = 0; i < n; i++) {
        names[i] = "service-" + i;
      }
      long before = usedAfterGc();
      List<AuditEvent> batch = new ArrayList<>(EventStream.BATCH);
      for (int i = 0; i < n; i++) {
        batch.add(AuditEvent.builder().tenant("tenant-0").service(names[i]).epochMillis(t + i)
            .method("GET").status(200).identifier("user-1").eventType("http.request").build());
        if (batch.size() == EventStream.BATCH || i == n - 1) {
          clock.advanceTo(t + i);
          check(engine.ingest(batch), batch.size());
          batch.clear();
        }
      }
      long after = usedAfterGc();
      keepAlive(names);
      return (double) (after - before) / n;
    }
  }

  /** Bytes of an identifier string like the stream's, measured the same way. */
  static double perString(int n) throws InterruptedException {
    long before = usedAfterGc();
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      s[i] = "user-" + (10_000 + i % 90_000);
    }
    long after = usedAfterGc();
    keepAlive(s);
    // minus the array's own 4 bytes per reference
    return (double) (after - before) / n - 4;
  }

  private static void ingest(AnomalyEngine engine, ReplayClock clock, int tenant, int batches,
      long t, int serviceCount) {
    String[] names = EventStream.serviceNames();
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < serviceCount; i++) {
      batch.add(AuditEvent.builder().tenant("tenant-" + tenant).service(names[i])
          .epochMillis(t).method("GET").status(200).identifier("user-0")
          .eventType("http.request").build());
    }
    clock.advanceTo(t);
    check(engine.ingest(batch), batch.size());
  }

  private static void check(IngestResult r, int expected) {
    if (r.accepted() != expected) {
      throw new IllegalStateException("expected " + expected + " events accepted, but "
          + r.rejected());
    }
  }

  private static volatile Object sink;

  private static void keepAlive(Object o) {
    sink = o;
    sink = null;
  }

  private static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
