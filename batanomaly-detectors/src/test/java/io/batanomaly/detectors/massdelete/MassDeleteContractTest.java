package io.batanomaly.detectors.massdelete;

import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.ServiceDetectorContract;
import io.batanomaly.detectors.Traffic;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class MassDeleteContractTest extends ServiceDetectorContract {

  @Override
  protected DetectorProvider provider() {
    return new MassDeleteProvider();
  }

  @Override
  protected String expectedType() {
    return "MASS_DELETE";
  }

  @Override
  protected Scenario incident(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    for (int i = 0; i < 60; i++) {
      events.add(Traffic.delete(tenant, "documents", t0 + i * 1000L));
      events.add(Traffic.get(tenant, "documents", t0 + i * 1000L + 500));
    }
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(30));
  }

  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    // a DELETE every 10 s on two services for an hour: 30 per window each, under 50
    for (int i = 0; i < 360; i++) {
      events.add(Traffic.delete(tenant, "documents", t0 + i * 10_000L));
      events.add(Traffic.delete(tenant, "users", t0 + i * 10_000L + 5_000));
      events.add(Traffic.get(tenant, "documents", t0 + i * 10_000L + 1_000));
    }
    return Scenario.of(events);
  }

  @Override
  protected AuditEvent serviceEvent(String tenant, String service, long atMillis) {
    return Traffic.delete(tenant, service, atMillis);
  }
}
