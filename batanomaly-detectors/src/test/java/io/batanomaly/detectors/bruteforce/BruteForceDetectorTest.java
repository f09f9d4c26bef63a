package io.batanomaly.detectors.bruteforce;

import static io.batanomaly.detectors.EngineDriver.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.AuditEvent;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.Severity;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.detectors.Anomalies;
import io.batanomaly.detectors.EngineDriver;
import io.batanomaly.detectors.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BruteForceDetectorTest {

  private static List<Anomaly> found(EngineDriver d, String tenant) {
    return Anomalies.of(d.engine, tenant, "BRUTE_FORCE");
  }

  private static List<AuditEvent> failures(String ip, long start, long gap, int n) {
    List<AuditEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Traffic.unauthorized("acme", "login", start + i * gap, ip));
    }
    return out;
  }

  @Test
  void firesAtTheTenthFailureAndNotAtTheNinth() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      List<AuditEvent> ten = failures("198.51.100.7", T0, 10_000, 10);
      d.sendEach(ten.subList(0, 9));
      assertThat(found(d, "acme")).isEmpty();
      d.sendEach(ten.subList(9, 10));
      List<Anomaly> found = found(d, "acme");
      assertThat(found).hasSize(1);
      Anomaly a = found.get(0);
      assertThat(a.subject()).isEqualTo("198.51.100.7");
      assertThat(a.identifier()).isEqualTo("198.51.100.7");
      assertThat(a.metrics()).containsEntry("failureCount", 10L)
          .containsEntry("threshold", 10)
          .containsEntry("firstFailureAt", Instant.ofEpochMilli(T0))
          .containsEntry("lastFailureAt", Instant.ofEpochMilli(T0 + 90_000))
          .containsEntry("identifier", "198.51.100.7");
      // 10 failures in 90 s where the rule allows 300 s: 3.3 times the threshold rate
      assertThat(a.severity()).isEqualTo(Severity.HIGH);
      assertThat(a.summary()).contains("198.51.100.7").contains("10 times");
      assertThat(a.recommendedActions()).isNotEmpty();
      assertThat(a.recommendedActions()).first().isEqualTo(
          "Block or rate-limit '198.51.100.7' at the edge if it is not a known client");
    }
  }

  @Test
  void countsFailuresExactlyTheWindowApartButNotOneMillisecondMore() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      List<AuditEvent> events = failures("edge-in", T0, 30_000, 9);
      events.add(Traffic.unauthorized("acme", "login", T0 + 300_000, "edge-in"));
      events.addAll(failures("edge-out", T0, 30_000, 9));
      events.add(Traffic.unauthorized("acme", "login", T0 + 300_001, "edge-out"));
      events.sort((a, b) -> Long.compare(a.epochMillis(), b.epochMillis()));
      d.sendEach(events);
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("edge-in");
    }
  }

  @Test
  void countsOutOfOrderFailuresInsideTheLateness() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      // ten failures in 5 s, delivered in reverse order within the 10 s lateness
      List<AuditEvent> events = failures("203.0.113.50", T0, 500, 10);
      Collections.reverse(events);
      for (AuditEvent e : events) {
        d.send(T0 + 5_000, e);
      }
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("203.0.113.50");
    }
  }

  @Test
  void countsOneIdentifierAcrossAllServicesOfTheTenant() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      for (int i = 0; i < 10; i++) {
        d.send(T0 + i * 1000L, Traffic.unauthorized("acme", "service-" + i, T0 + i * 1000L,
            "rotating"));
      }
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("rotating");
    }
  }

  @Test
  void keepsTheCountsOfTwoTenantsApart() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      for (int i = 0; i < 9; i++) {
        long t = T0 + i * 1000L;
        d.send(t, Traffic.unauthorized("acme", "login", t, "shared-ip"),
            Traffic.unauthorized("globex", "login", t, "shared-ip"));
      }
      assertThat(found(d, "acme")).isEmpty();
      assertThat(found(d, "globex")).isEmpty();
      d.send(T0 + 9_000, Traffic.unauthorized("globex", "login", T0 + 9_000, "shared-ip"));
      assertThat(found(d, "acme")).isEmpty();
      assertThat(found(d, "globex")).hasSize(1);
    }
  }

  @Test
  void ignoresFailuresWithoutIdentifierAndOtherStatuses() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      for (int i = 0; i < 20; i++) {
        long t = T0 + i * 1000L;
        d.send(t, Traffic.unauthorized("acme", "login", t, null),
            Traffic.request("acme", "login", t, "POST", 403, "forbidden-ip"),
            Traffic.request("acme", "login", t, "POST", 200, "ok-ip"));
      }
      assertThat(found(d, "acme")).isEmpty();
      // inside the same window only 401s count: the ninth is below the rule, the tenth fires
      List<AuditEvent> ten = failures("forbidden-ip", T0 + 20_000, 1_000, 10);
      d.sendEach(ten.subList(0, 9));
      assertThat(found(d, "acme")).isEmpty();
      d.sendEach(ten.subList(9, 10));
      assertThat(found(d, "acme")).singleElement().satisfies(a -> {
        assertThat(a.subject()).isEqualTo("forbidden-ip");
        assertThat(a.metrics()).containsEntry("failureCount", 10L);
      });
    }
  }

  @Test
  void coolsDownPerIdentifierNotPerTenantOrRule() {
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.COOLDOWN, Duration.ofHours(1)).build();
    try (EngineDriver d = new EngineDriver(new BruteForceProvider(), config)) {
      d.sendEach(failures("attacker-a", T0, 1_000, 10));
      Anomaly first = found(d, "acme").get(0);
      d.engine.anomalies().updateStatus("acme", first.id(),
          new StatusUpdateRequest(AnomalyStatus.RESOLVED, "blocked"), null);
      // the same identifier again within the cooldown: suppressed
      d.sendEach(failures("attacker-a", T0 + 600_000, 1_000, 10));
      assertThat(found(d, "acme")).hasSize(1);
      // another identifier is another subject: not held back by a's cooldown
      d.sendEach(failures("attacker-b", T0 + 700_000, 1_000, 10));
      assertThat(found(d, "acme")).extracting(Anomaly::subject)
          .containsExactlyInAnyOrder("attacker-a", "attacker-b");
      // after the cooldown, a again
      d.sendEach(failures("attacker-a", T0 + 4_000_000, 1_000, 10));
      assertThat(found(d, "acme")).extracting(Anomaly::subject)
          .containsExactlyInAnyOrder("attacker-a", "attacker-b", "attacker-a");
    }
  }

  @Test
  void keepsOneAnomalyUpdatedWhileTheAttackGoesOn() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      d.sendEach(failures("persistent", T0, 1_000, 120));
      List<Anomaly> found = found(d, "acme");
      assertThat(found).hasSize(1);
      // reported when it crossed, then at most once per 10 s of event time: 12 findings
      assertThat(found.get(0).occurrences()).isBetween(11L, 12L);
      assertThat(found.get(0).metrics()).containsEntry("failureCount", 120L);
      assertThat(d.engine.health().detectors().get("brute_force").get("findings"))
          .isBetween(11L, 12L);
    }
  }

  @Test
  @Timeout(60)
  void staysWithinItsBudgetUnderAFloodOfIdentifiersAndStillCatchesTheAttacker() {
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set(BruteForceSettings.MAX_IDENTIFIERS, 1_000).build();
    try (EngineDriver d = new EngineDriver(new BruteForceProvider(), config)) {
      Random random = new Random(3);
      // 20,000 one-time identifiers over 200 s, twenty times the budget, and the attacker
      // failing every 5 s among them: an unprotected entry lives about budget / 100 = 10 s,
      // so the attacker's second failure protects it before it can be evicted
      for (int s = 0; s < 200; s++) {
        long t = T0 + s * 1000L;
        List<AuditEvent> batch = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
          batch.add(Traffic.unauthorized("acme", "login", t + k * 10L,
              "spray-" + s + "-" + k + "-" + random.nextInt(1000)));
        }
        if (s % 5 == 0) {
          batch.add(Traffic.unauthorized("acme", "login", t + 505, "the-attacker"));
        }
        d.send(t + 999, batch);
      }
      assertThat(found(d, "acme")).extracting(Anomaly::subject).containsExactly("the-attacker");
      Map<String, Long> stats = d.engine.health().detectors().get("brute_force");
      assertThat(stats.get("keysTracked")).isLessThanOrEqualTo(1_000L);
      assertThat(stats.get("keysEvicted") + stats.get("keysExpired")).isGreaterThan(18_000L);
    }
  }

  @Test
  void verificationResolvesOnceTheFailuresHaveLeftTheWindow() {
    try (EngineDriver d = new EngineDriver(new BruteForceProvider())) {
      d.sendEach(failures("198.51.100.7", T0, 1_000, 10));
      Anomaly a = found(d, "acme").get(0);
      assertThat(Anomalies.verify(d.engine, a).status())
          .isEqualTo(AnomalyStatus.OPEN);
      d.tickAt(T0 + 9_000 + 300_001);
      Anomaly after = Anomalies.verify(d.engine, a);
      assertThat(after.status()).isEqualTo(AnomalyStatus.RESOLVED);
      assertThat(Anomalies.latest(after).note())
          .contains("fewer than 10 failures");
    }
  }
}
