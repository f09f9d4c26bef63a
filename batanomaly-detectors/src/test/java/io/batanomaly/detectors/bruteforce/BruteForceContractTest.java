package io.batanomaly.detectors.bruteforce;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AuditEvent;
import io.batanomaly.detectors.Traffic;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.DetectorContractKit;
import io.batanomaly.testkit.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

class BruteForceContractTest extends DetectorContractKit {

  @Override
  protected DetectorProvider provider() {
    return new BruteForceProvider();
  }

  @Override
  protected String expectedType() {
    return "BRUTE_FORCE";
  }

  @Override
  protected Scenario incident(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    String[] services = {"login", "api", "admin"};
    for (int i = 0; i < 15; i++) {
      events.add(Traffic.unauthorized(tenant, services[i % 3], t0 + i * 4_000L, "203.0.113.9"));
    }
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(30));
  }

  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    // 200 users over an hour: each mistypes a password up to 3 times, then logs in
    for (int u = 0; u < 200; u++) {
      long at = t0 + u * 18_000L;
      for (int k = 0; k < u % 4; k++) {
        events.add(Traffic.unauthorized(tenant, "login", at + k * 5_000L, "user-" + u));
      }
      events.add(Traffic.request(tenant, "login", at + 20_000, "POST", 200, "user-" + u));
    }
    // a 401 without identifier counts for nobody
    for (int i = 0; i < 50; i++) {
      events.add(Traffic.unauthorized(tenant, "login", t0 + i * 1_000L, null));
    }
    return Scenario.of(events);
  }

  @Override
  protected Scenario manyKeys(String tenant, Instant start) {
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    for (int i = 0; i < 5_000; i++) {
      events.add(Traffic.unauthorized(tenant, "login", t0 + i * 10L, "10.1." + i / 250 + "."
          + i % 250));
    }
    return Scenario.of(events);
  }

  @Override
  protected AnomalyConfig configForBoundedState() {
    return config().toBuilder().set(BruteForceSettings.MAX_IDENTIFIERS, 100).build();
  }

  @Override
  protected long keyBudget() {
    return 100;
  }
}
