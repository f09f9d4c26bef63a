package io.batanomaly.detectors.errorrate;

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

class ErrorRateContractTest extends ServiceDetectorContract {

  @Override
  protected DetectorProvider provider() {
    return new ErrorRateProvider();
  }

  @Override
  protected String expectedType() {
    return "ERROR_RATE";
  }

  @Override
  protected Scenario incident(String tenant, Instant start) {
    // 2 requests/s for 12 minutes; from minute 4 to 8 a bad deployment fails half of them
    List<AuditEvent> events = new ArrayList<>();
    long t0 = start.toEpochMilli();
    for (int i = 0; i < 12 * 60 * 2; i++) {
      long t = t0 + i * 500L;
      boolean bad = i >= 4 * 120 && i < 8 * 120 && i % 2 == 0;
      events.add(Traffic.request(tenant, "checkout", t, "POST", bad ? 503 : 200, "c" + i % 7));
    }
    return Scenario.of(events).thenQuietFor(Duration.ofMinutes(30));
  }

  @Override
  protected Scenario cleanTraffic(String tenant, Instant start) {
    // three services for an hour, 2% errors at random
    List<AuditEvent> events = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(7);
    long t0 = start.toEpochMilli();
    for (String service : new String[] {"checkout", "search", "profile"}) {
      for (int i = 0; i < 3600; i++) {
        int status = random.nextDouble() < 0.02 ? (random.nextBoolean() ? 404 : 500) : 200;
        events.add(Traffic.request(tenant, service, t0 + i * 1000L + random.nextInt(1000),
            "GET", status, "c" + i % 11));
      }
    }
    // and a sparse service whose only two requests both fail: below the minimum sample
    events.add(Traffic.request(tenant, "rarely", t0 + 5_000, "GET", 500, "c1"));
    events.add(Traffic.request(tenant, "rarely", t0 + 6_000, "GET", 500, "c1"));
    return Scenario.of(events);
  }

  @Override
  protected AuditEvent serviceEvent(String tenant, String service, long atMillis) {
    return Traffic.request(tenant, service, atMillis, "GET", 500, "c");
  }
}
