package io.batanomaly.detectors.flood;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.Outcome;
import io.batanomaly.RejectReason;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.testkit.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Floods of tenants, services and policy versions against every built-in detector (found with
 * ServiceLoader): the configured budgets hold, what is refused or evicted is counted, no
 * detector fails, and a real incident in the middle of a version flood is still found.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CardinalityFloodTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final int MAX_VERSIONS = 50;

  private final ManualClock clock = new ManualClock(T0);
  private final AnomalyEngine engine = AnomalyEngine.builder()
      .config(AnomalyConfig.defaults().toBuilder()
          .set("ANOMALY_MAX_TENANTS", "100")
          .set("ANOMALY_MAX_SERVICES_PER_TENANT", "100")
          .set("ANOMALY_POLICY_MAX_VERSIONS", String.valueOf(MAX_VERSIONS))
          .build())
      .clock(clock)
      .autoTick(false)
      .verificationExecutor(Runnable::run)
      .build();

  @AfterEach
  void close() {
    engine.close();
  }

  private static AuditEvent request(String tenant, String service, long at) {
    return AuditEvent.builder().tenant(tenant).service(service).epochMillis(at).method("GET")
        .status(200).identifier("client-1").build();
  }

  private static AuditEvent evaluation(String version, long at, Outcome outcome) {
    return AuditEvent.builder().tenant("acme").service("policy-engine").epochMillis(at)
        .eventType("policy.evaluation").policyModule("payments").policyFunction("authorize")
        .versionId(version).outcome(outcome).executionTimeMillis(5).build();
  }

  @Test
  void floodsOfTenantsAndServicesStayWithinTheirBudgetsForEveryDetector() {
    long t0 = T0.toEpochMilli();
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      batch.add(request("tenant-" + i, "api", t0));
      batch.add(request("acme", "svc-" + i, t0));
    }
    engine.ingest(batch);
    engine.tick();

    EngineHealth h = engine.health();
    assertThat(h.tenantsTracked()).isEqualTo(100);
    assertThat(h.servicesTracked()).isLessThanOrEqualTo(100L * 100);
    assertThat(h.eventsRejected().get(RejectReason.TENANT_LIMIT)).isEqualTo(50_000 - 99);
    assertThat(h.eventsRejected().get(RejectReason.SERVICE_LIMIT)).isEqualTo(50_000 - 100);
    assertThat(h.eventsAccepted()).isEqualTo(99 + 100);
    assertThat(h.detectorErrors()).isZero();
    assertThat(h.anomaliesOpened()).isZero();
  }

  @Test
  void aFloodOfPolicyVersionsKeepsEveryPolicyDetectorWithinItsBudgetAndAFailingVersionIsFound() {
    long t0 = T0.toEpochMilli();
    List<AuditEvent> events = new ArrayList<>();
    // 20,000 versions evaluated once each, ten a second, for 2,000 s
    for (int i = 0; i < 20_000; i++) {
      events.add(evaluation("one-off-" + i, t0 + i * 100L, Outcome.SUCCESS));
    }
    // in the middle, one version failing every evaluation, every 3 s for two minutes
    long failingFrom = t0 + 1_000_000;
    for (int i = 0; i < 40; i++) {
      events.add(evaluation("failing", failingFrom + i * 3_000L, Outcome.FAILURE));
    }
    events.sort(java.util.Comparator.comparingLong(AuditEvent::epochMillis));
    long accepted = 0;
    long nextTick = t0;
    for (int from = 0; from < events.size(); from += 100) {
      List<AuditEvent> batch = events.subList(from, Math.min(events.size(), from + 100));
      long last = batch.get(batch.size() - 1).epochMillis();
      clock.advanceTo(Instant.ofEpochMilli(last));
      accepted += engine.ingest(batch).accepted();
      while (nextTick <= last) {
        engine.tick();
        nextTick += 10_000;
      }
    }

    EngineHealth h = engine.health();
    assertThat(accepted).isEqualTo(20_040);
    assertThat(h.detectorErrors()).isZero();
    for (String name : List.of("high_failure_rate", "zombie_version")) {
      Map<String, Long> stats = h.detectors().get(name);
      assertThat(stats).as(name).isNotNull();
      assertThat(stats.get("keysTracked")).as(name).isLessThanOrEqualTo(MAX_VERSIONS);
      assertThat(stats.get("keysEvicted") + stats.get("keysExpired")).as(name)
          .isGreaterThanOrEqualTo(20_001 - MAX_VERSIONS);
    }
    List<AnomalySummary> found = engine.anomalies().list("acme",
        new AnomalyQuery(null, 7, 0, 200)).content();
    assertThat(found).filteredOn(a -> a.type().equals("HIGH_FAILURE_RATE"))
        .singleElement()
        .satisfies(a -> assertThat(a.subject()).contains("failing"));
    assertThat(found).as("nothing about a version seen once")
        .noneMatch(a -> a.subject().contains("one-off-"));
  }
}
