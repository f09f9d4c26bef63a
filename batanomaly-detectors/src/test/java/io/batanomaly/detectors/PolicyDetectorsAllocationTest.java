package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.detectors.highfailurerate.HighFailureRateDetectorProvider;
import io.batanomaly.detectors.performancedegradation.PerformanceDegradationDetectorProvider;
import io.batanomaly.detectors.zombieversion.ZombieVersionDetectorProvider;
import io.batanomaly.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ingest path of the three policy-version detectors allocates nothing per event once the
 * versions and the current windows exist: a batch of 20,000 evaluations costs the same few
 * hundred bytes of per-batch bookkeeping as a batch of 2,000.
 */
@Timeout(60)
class PolicyDetectorsAllocationTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  @Test
  void observingEvaluationsOfKnownVersionsAllocatesNothingPerEvent() {
    com.sun.management.ThreadMXBean threads = threadBean();
    ManualClock clock = new ManualClock(T0.plusSeconds(50));
    try (AnomalyEngine engine = AnomalyEngine.builder()
        .clock(clock)
        .discoverDetectors(false)
        .detector(new HighFailureRateDetectorProvider())
        .detector(new ZombieVersionDetectorProvider())
        .detector(new PerformanceDegradationDetectorProvider())
        .autoTick(false)
        .build()) {
      // all inside five seconds (within the allowed lateness of the tenant's newest event, and
      // inside one bucket), so every event is accepted and no bucket or window opens
      List<AuditEvent> small = batch(2_000);
      List<AuditEvent> large = batch(20_000);
      for (int i = 0; i < 20; i++) {
        assertThat(engine.ingest(small).rejected()).isEmpty();
        assertThat(engine.ingest(large).rejected()).isEmpty();
      }
      long smallBytes = Long.MAX_VALUE;
      long largeBytes = Long.MAX_VALUE;
      for (int i = 0; i < 5; i++) {
        smallBytes = Math.min(smallBytes, allocatedBy(threads, () -> engine.ingest(small)));
        largeBytes = Math.min(largeBytes, allocatedBy(threads, () -> engine.ingest(large)));
      }
      double perEvent = (double) (largeBytes - smallBytes) / (large.size() - small.size());
      assertThat(perEvent).as("bytes per event (batch of 2,000: %d B, of 20,000: %d B)",
          smallBytes, largeBytes).isLessThan(0.5);
    }
  }

  private static List<AuditEvent> batch(int size) {
    List<AuditEvent> events = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      events.add(PolicyEvents.evaluation("acme", "v" + (i % 3), T0.plusMillis(i % 5_000),
          i % 50 == 0 ? Outcome.FAILURE : Outcome.SUCCESS, 5 + i % 7));
    }
    return events;
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
