package io.batanomaly.examples.custom;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AuditEvent;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.testkit.DetectorContractKit;
import io.batanomaly.testkit.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The shared detector checks, run against the third-party NOT_FOUND_SCAN detector. */
class NotFoundScanContractTest extends DetectorContractKit {

  @Override
  protected DetectorProvider provider() {
    return new NotFoundScanProvider();
  }

  @Override
  protected String expectedType() {
    return NotFoundScanProvider.TYPE;
  }

  private static AuditEvent request(String tenant, Instant at, String identifier, int status) {
    return AuditEvent.builder().tenant(tenant).service("web").timestamp(at).method("GET")
        .status(status).identifier(identifier).build();
  }

  @Override
  protected Scenario incident(String tenant, Instant start) {
    // a scanner: 40 paths in 20 seconds, all missing, amid normal traffic
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(request(tenant, start.plusMillis(500L * i), "198.51.100.23", 404));
    }
    for (int i = 0; i < 60; i++) {
      events.add(request(tenant, start.plusSeconds(i), "user-" + (i % 7), 200));
    }
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(5));
  }

  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    // an hour of users with an occasional broken link: 404s, but never 30 per minute per user
    List<AuditEvent> events = new ArrayList<>();
    for (int s = 0; s < 3600; s++) {
      String user = "user-" + (s % 50);
      events.add(request(tenant, start.plusSeconds(s), user, s % 13 == 0 ? 404 : 200));
    }
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(5));
  }

  @Override
  protected Scenario manyKeys(String tenant, Instant start) {
    // 5,000 one-time clients drawing one 404 each, far more than the budget of 200
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      events.add(request(tenant, start.plusMillis(20L * i), "client-" + i, 404));
    }
    return Scenario.of(events);
  }

  @Override
  protected AnomalyConfig configForBoundedState() {
    return config().toBuilder().set(NotFoundScanProvider.MAX_IDENTIFIERS, 200).build();
  }

  @Override
  protected long keyBudget() {
    return 200;
  }
}
