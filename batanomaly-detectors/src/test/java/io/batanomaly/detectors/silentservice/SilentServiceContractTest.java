package io.batanomaly.detectors.silentservice;

import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.ServiceDetectorContract;
import io.batanomaly.detectors.Traffic;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class SilentServiceContractTest extends ServiceDetectorContract {

  @Override
  protected DetectorProvider provider() {
    return new SilentServiceProvider();
  }

  @Override
  protected String expectedType() {
    return "SILENT_SERVICE";
  }

  @Override
  protected Scenario incident(String tenant, Instant start) {
    // an event every 10 s for 30 minutes, then the service dies
    return Scenario.of(Traffic.steady(tenant, "payments", start, Duration.ofMinutes(30),
        Duration.ofSeconds(10))).thenQuietFor(Duration.ofMinutes(20));
  }

  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    // sparse: one event every 12 minutes for three hours
    for (int i = 0; i < 15; i++) {
      events.add(Traffic.get(tenant, "nightly-export", t0 + i * 12 * 60_000L));
    }
    // bursty: busy 5 minutes at the top of each hour, silent the rest of it
    for (int h = 0; h < 3; h++) {
      events.addAll(Traffic.steady(tenant, "hourly-sync", start.plus(Duration.ofHours(h)),
          Duration.ofMinutes(5), Duration.ofSeconds(5)));
    }
    return Scenario.of(events);
  }

  @Override
  protected AuditEvent serviceEvent(String tenant, String service, long atMillis) {
    return Traffic.get(tenant, service, atMillis);
  }

  @Override
  protected Scenario manyKeys(String tenant, Instant start) {
    return super.manyKeys(tenant, start).thenQuietFor(Duration.ofMinutes(20));
  }

  @Override
  protected boolean conditionEndsWithTime() {
    return false;
  }
}
