package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.bruteforce.BruteForceProvider;
import io.batanomaly.detectors.errorrate.ErrorRateProvider;
import io.batanomaly.detectors.massdelete.MassDeleteProvider;
import io.batanomaly.detectors.silentservice.SilentServiceProvider;
import io.batanomaly.detectors.volumespike.VolumeSpikeProvider;
import io.batanomaly.testkit.ManualClock;
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
      assertThat(IngestAllocation.bytesPerEvent(engine, small, large))
          .as("bytes per event").isLessThan(0.5);
      assertThat(IngestAllocation.bytesPerEventOfBatches(engine, small, large))
          .as("bytes per event of an EventBatch").isLessThan(0.5);
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
}
