package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.bruteforce.BruteForceProvider;
import io.batanomaly.detectors.errorrate.ErrorRateProvider;
import io.batanomaly.detectors.massdelete.MassDeleteProvider;
import io.batanomaly.detectors.silentservice.SilentServiceProvider;
import io.batanomaly.detectors.volumespike.VolumeSpikeProvider;
import io.batanomaly.testkit.ManualClock;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ingest path of the five service detectors allocates nothing per event once the services,
 * identifiers and current buckets exist: a batch of 20,000 events (successes, 4xx/5xx, 401s of
 * known identifiers and DELETEs) costs the same per-batch bookkeeping as a batch of 2,000.
 */
@Timeout(60)
class ServiceDetectorsAllocationTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final String[] SERVICES = {"billing", "auth", "documents"};
  private static final String[] IDENTIFIERS = {"10.0.0.1", "10.0.0.2", "alice"};

  @Test
  void observingEventsOfKnownServicesAndIdentifiersAllocatesNothingPerEvent() {
    com.sun.management.ThreadMXBean threads = threadBean();
    ManualClock clock = new ManualClock(T0.plusSeconds(50));
    try (AnomalyEngine engine = AnomalyEngine.builder()
        .clock(clock)
        .discoverDetectors(false)
        .detector(new VolumeSpikeProvider())
        .detector(new ErrorRateProvider())
        .detector(new BruteForceProvider())
        .detector(new MassDeleteProvider())
        .detector(new SilentServiceProvider())
        .autoTick(false)
        .build()) {
      // all inside five seconds (within the allowed lateness of the tenant's newest event), so
      // every event is accepted and, after the first batch, no bucket opens
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
      long t = T0.toEpochMilli() + i % 5_000;
      String service = SERVICES[i % SERVICES.length];
      String identifier = IDENTIFIERS[i % IDENTIFIERS.length];
      events.add(switch (i % 10) {
        case 0 -> Traffic.unauthorized("acme", service, t, identifier);
        case 1 -> Traffic.delete("acme", service, t);
        case 2 -> Traffic.request("acme", service, t, "GET", 503, identifier);
        default -> Traffic.request("acme", service, t, "GET", 200, identifier);
      });
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
