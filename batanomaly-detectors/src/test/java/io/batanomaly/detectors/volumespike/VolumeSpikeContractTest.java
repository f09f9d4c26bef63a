package io.batanomaly.detectors.volumespike;

import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.ServiceDetectorContract;
import io.batanomaly.detectors.Traffic;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

class VolumeSpikeContractTest extends ServiceDetectorContract {

  @Override
  protected DetectorProvider provider() {
    return new VolumeSpikeProvider();
  }

  @Override
  protected String expectedType() {
    return "VOLUME_SPIKE";
  }

  @Override
  protected Scenario incident(String tenant, Instant start) {
    // 5 events/s for 7 minutes, then a retry storm: 25 events/s for 30 s, then back to normal
    SplittableRandom random = new SplittableRandom(11);
    long t0 = start.toEpochMilli();
    long burst = t0 + 7 * 60_000;
    List<AuditEvent> events = new ArrayList<>(
        Traffic.poisson(tenant, "search", t0, burst + 90_000, 5, random));
    events.addAll(Traffic.poisson(tenant, "search", burst, burst + 30_000, 20, random));
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(30));
  }

  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    SplittableRandom random = new SplittableRandom(12);
    long t0 = start.toEpochMilli();
    List<AuditEvent> events = new ArrayList<>();
    events.addAll(Traffic.poisson(tenant, "search", t0, t0 + 40 * 60_000, 5, random));
    events.addAll(Traffic.poisson(tenant, "checkout", t0, t0 + 40 * 60_000, 1.2, random));
    events.addAll(Traffic.poisson(tenant, "reports", t0, t0 + 40 * 60_000, 0.2, random));
    return Scenario.of(events);
  }

  @Override
  protected AuditEvent serviceEvent(String tenant, String service, long atMillis) {
    return Traffic.get(tenant, service, atMillis);
  }
}
