package io.batanomaly.detectors.silentservice;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.Traffic;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.DetectorContractKit;
import io.batanomaly.testkit.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class SilentServiceContractTest extends DetectorContractKit {

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
  protected Scenario manyKeys(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    for (int i = 0; i < 2_000; i++) {
      events.add(Traffic.get(tenant, "service-" + i, t0 + i * 10L));
    }
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(20));
  }

  @Override
  protected AnomalyConfig configForBoundedState() {
    return config().toBuilder().set(AnomalySettings.MAX_SERVICES_PER_TENANT, 100).build();
  }

  @Override
  protected long keyBudget() {
    return 100;
  }

  @Override
  protected boolean conditionEndsWithTime() {
    return false;
  }
}
