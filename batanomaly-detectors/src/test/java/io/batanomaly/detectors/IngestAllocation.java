package io.batanomaly.detectors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EventBatch;
import io.batanomaly.IngestResult;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Measures what {@link AnomalyEngine#ingest} allocates per event: the difference between a large
 * and a small batch of the same kind of events, divided by the difference in size, so the
 * per-batch bookkeeping (sink, result) cancels out. Skips the test on a JVM that cannot count
 * allocated bytes per thread.
 */
final class IngestAllocation {
  private IngestAllocation() {}

  /**
   * Warms the engine up with both batches (every key, service and bucket they touch then
   * exists), then returns the smallest of five measurements of bytes per event.
   *
   * @param engine the engine, with the detectors under test
   * @param small a batch
   * @param large a larger batch of the same kind of events
   * @return bytes allocated per additional event
   */
  static double bytesPerEvent(AnomalyEngine engine, List<AuditEvent> small,
      List<AuditEvent> large) {
    com.sun.management.ThreadMXBean threads = threadBean();
    for (int i = 0; i < 20; i++) {
      requireAllAccepted(engine, small);
      requireAllAccepted(engine, large);
    }
    long smallBytes = Long.MAX_VALUE;
    long largeBytes = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      smallBytes = Math.min(smallBytes, allocatedBy(threads, () -> engine.ingest(small)));
      largeBytes = Math.min(largeBytes, allocatedBy(threads, () -> engine.ingest(large)));
    }
    return (double) (largeBytes - smallBytes) / (large.size() - small.size());
  }

  /**
   * As {@link #bytesPerEvent(AnomalyEngine, List, List)}, through the columnar path: each list
   * is written once into its own {@link EventBatch}, which is then ingested as it is.
   *
   * @param engine the engine, with the detectors under test
   * @param small a batch
   * @param large a larger batch of the same kind of events
   * @return bytes allocated per additional event
   */
  static double bytesPerEventOfBatches(AnomalyEngine engine, List<AuditEvent> small,
      List<AuditEvent> large) {
    EventBatch smallBatch = columns(small);
    EventBatch largeBatch = columns(large);
    com.sun.management.ThreadMXBean threads = threadBean();
    for (int i = 0; i < 20; i++) {
      requireAllAccepted(engine.ingest(smallBatch));
      requireAllAccepted(engine.ingest(largeBatch));
    }
    long smallBytes = Long.MAX_VALUE;
    long largeBytes = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      smallBytes = Math.min(smallBytes, allocatedBy(threads, () -> engine.ingest(smallBatch)));
      largeBytes = Math.min(largeBytes, allocatedBy(threads, () -> engine.ingest(largeBatch)));
    }
    return (double) (largeBytes - smallBytes) / (large.size() - small.size());
  }

  private static EventBatch columns(List<AuditEvent> events) {
    EventBatch b = new EventBatch(events.size());
    for (AuditEvent e : events) {
      b.add().tenant(e.tenant()).service(e.service()).epochMillis(e.epochMillis())
          .method(e.method()).status(e.status()).identifier(e.identifier())
          .eventType(e.eventType()).policyModule(e.policyModule())
          .policyFunction(e.policyFunction()).versionId(e.versionId()).outcome(e.outcome())
          .executionTimeNanos(e.executionTimeNanos());
    }
    return b;
  }

  private static void requireAllAccepted(IngestResult r) {
    if (!r.rejected().isEmpty()) {
      throw new AssertionError("the measured batch must be accepted whole: " + r.rejected());
    }
  }

  private static void requireAllAccepted(AnomalyEngine engine, List<AuditEvent> batch) {
    if (!engine.ingest(batch).rejected().isEmpty()) {
      throw new AssertionError("the measured batch must be accepted whole");
    }
  }

  private static long allocatedBy(com.sun.management.ThreadMXBean threads, Runnable work) {
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    work.run();
    return threads.getThreadAllocatedBytes(id) - before;
  }

  private static com.sun.management.ThreadMXBean threadBean() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
        "this JVM cannot count allocated bytes per thread");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported());
    threads.setThreadAllocatedMemoryEnabled(true);
    return threads;
  }
}
