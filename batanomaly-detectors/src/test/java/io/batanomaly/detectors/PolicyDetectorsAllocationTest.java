package io.batanomaly.detectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.detectors.highfailurerate.HighFailureRateDetectorProvider;
import io.batanomaly.detectors.performancedegradation.PerformanceDegradationDetectorProvider;
import io.batanomaly.detectors.zombieversion.ZombieVersionDetectorProvider;
import io.batanomaly.testkit.ManualClock;
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
      assertThat(IngestAllocation.bytesPerEvent(engine, small, large))
          .as("bytes per event").isLessThan(0.5);
      assertThat(IngestAllocation.bytesPerEventOfBatches(engine, small, large))
          .as("bytes per event of an EventBatch").isLessThan(0.5);
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
}
