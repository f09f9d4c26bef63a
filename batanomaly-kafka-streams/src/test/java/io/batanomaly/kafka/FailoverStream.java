package io.batanomaly.kafka;

import io.batanomaly.AuditEvent;
import io.batanomaly.Outcome;
import io.batanomaly.examples.demo.ReplaySource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Twenty minutes of traffic whose three incidents each straddle minute ten, where the failover
 * test stops one instance: a brute force with six failures before and six after, a mass delete
 * of 30 + 30 records, and an error rate that climbs past its threshold after the stop. Each can
 * only be found after the stop if the instance that takes over rebuilt the windows of the one
 * that stopped.
 */
final class FailoverStream {
  static final Instant T0 = Instant.parse("2026-03-02T08:00:00Z");
  static final Duration LENGTH = Duration.ofMinutes(20);
  static final Instant STOP = T0.plus(Duration.ofMinutes(10));
  static final String ATTACKER = "203.0.113.77";

  private FailoverStream() {}

  static ReplaySource source() {
    List<AuditEvent> events = new ArrayList<>();
    long seconds = LENGTH.toSeconds();
    for (long s = 0; s < seconds; s++) {
      Instant at = T0.plusSeconds(s);
      boolean errorBurst = s >= 8 * 60 && s < 14 * 60;
      for (int i = 0; i < 2; i++) {
        int status = errorBurst && (s * 2 + i) % 5 < 2 ? 503 : 200;
        events.add(http("acme", "checkout", at.plusMillis(500L * i), "GET", status, "u" + s % 50));
      }
      events.add(http("acme", "auth", at.plusMillis(100), "POST", 200, "u" + (s + 7) % 50));
      events.add(http("acme", "billing", at.plusMillis(200), "GET", 200, "u" + (s + 3) % 50));
      events.add(http("globex", "inventory", at.plusMillis(300), "GET", 200, "g" + s % 20));
      events.add(http("globex", "orders", at.plusMillis(400), "POST", 201, "g" + (s + 5) % 20));
      events.add(AuditEvent.builder().tenant("acme").service("policy-engine")
          .timestamp(at.plusMillis(600)).eventType("policy.evaluation").policyModule("pricing")
          .policyFunction("discount").versionId("v3").outcome(Outcome.SUCCESS)
          .executionTime(Duration.ofMillis(4 + s % 5)).build());
    }
    // brute force: six failures in minute nine, six more from 10:10
    for (int i = 0; i < 6; i++) {
      events.add(http("acme", "auth", T0.plusSeconds(540 + 10L * i).plusMillis(700), "POST",
          401, ATTACKER));
      events.add(http("acme", "auth", T0.plusSeconds(610 + 10L * i).plusMillis(700), "POST",
          401, ATTACKER));
    }
    // mass delete: 30 in minute nine, 30 more from 10:05
    for (int i = 0; i < 30; i++) {
      events.add(http("globex", "inventory", T0.plusSeconds(540 + 2L * i).plusMillis(800),
          "DELETE", 204, "cleanup-job"));
      events.add(http("globex", "inventory", T0.plusSeconds(605 + 2L * i).plusMillis(800),
          "DELETE", 204, "cleanup-job"));
    }
    events.sort(Comparator.comparingLong(AuditEvent::epochMillis));
    return new ReplaySource("failover", "twenty minutes with incidents across minute ten", T0,
        events.get(events.size() - 1).timestamp(), events::iterator, List.of(), List.of(),
        List.of());
  }

  private static AuditEvent http(String tenant, String service, Instant at, String method,
      int status, String identifier) {
    return AuditEvent.builder().tenant(tenant).service(service).timestamp(at).method(method)
        .status(status).identifier(identifier).eventType("http.request").build();
  }
}
