package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default repository's bound and retention, seen through the engine. */
class AnomalyRetentionTest {

  private static TriageFixture fixture(int maxPerTenant, Duration retention) {
    return TriageFixture.builder().config(AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.MAX_ANOMALIES_PER_TENANT, maxPerTenant)
        .set(AnomalySettings.RETENTION, retention)
        .build()).build();
  }

  @Test
  void aTenantKeepsAtMostTheConfiguredNumberOfAnomaliesDroppingClosedOnesFirst() {
    try (TriageFixture f = fixture(5, Duration.ofDays(30))) {
      List<Anomaly> opened = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        opened.add(f.open("acme", "svc-" + i));
        f.clock().advance(Duration.ofMinutes(1));
      }
      f.triage().updateStatus("acme", opened.get(3).id(),
          new StatusUpdateRequest(RESOLVED, null), null);
      for (int i = 5; i < 8; i++) {
        f.open("acme", "svc-" + i);
        f.clock().advance(Duration.ofMinutes(1));
        assertThat(f.all("acme")).hasSizeLessThanOrEqualTo(5);
      }
      // the closed one went first, then the oldest active ones
      assertThat(f.triage().find("acme", opened.get(3).id())).isEmpty();
      assertThat(f.triage().find("acme", opened.get(0).id())).isEmpty();
      assertThat(f.triage().find("acme", opened.get(1).id())).isEmpty();
      assertThat(f.triage().find("acme", opened.get(2).id())).isPresent();
      assertThat(f.all("acme")).hasSize(5);
      // another tenant is unaffected
      assertThat(f.open("globex", "svc-0").status()).isEqualTo(OPEN);
    }
  }

  @Test
  void anActiveAnomalyRemovedByTheBoundDoesNotSwallowLaterFindings() {
    try (TriageFixture f = fixture(2, Duration.ofDays(30))) {
      Anomaly old = f.open("acme", "billing");
      f.triage().updateStatus("acme", old.id(), new StatusUpdateRequest(RESOLVED, null), null);
      f.clock().advance(Duration.ofHours(1));
      Anomaly current = f.open("acme", "billing");
      f.clock().advance(Duration.ofMinutes(1));
      f.open("acme", "payroll"); // evicts "old", the closed one
      f.clock().advance(Duration.ofMinutes(1));
      f.open("acme", "search"); // evicts "current", the oldest active one
      assertThat(f.triage().find("acme", current.id())).isEmpty();
      // a new finding for billing opens a fresh anomaly instead of updating a vanished one
      Anomaly fresh = f.open("acme", "billing");
      assertThat(fresh.id()).isNotIn(old.id(), current.id());
      assertThat(fresh.occurrences()).isEqualTo(1);
    }
  }

  @Test
  void theEnginesIndexOfActiveAnomaliesForgetsThoseTheBoundRemoved() {
    // Regression: the engine kept an index entry for every active anomaly the repository
    // evicted: under a botnet it grew without bound and health().anomaliesActive over-counted.
    try (TriageFixture f = fixture(10, Duration.ofDays(30))) {
      for (int i = 0; i < 200; i++) {
        f.open("acme", "bot-" + i);
      }
      f.engine().tick();
      assertThat(f.all("acme")).hasSize(10);
      assertThat(f.engine().health().anomaliesActive()).isEqualTo(10);
    }
  }

  @Test
  void closedAnomaliesLeaveAfterTheRetentionPeriodOnATick() {
    try (TriageFixture f = fixture(100, Duration.ofDays(2))) {
      Anomaly closed = f.open("acme", "billing");
      Anomaly open = f.open("acme", "payroll");
      f.triage().updateStatus("acme", closed.id(), new StatusUpdateRequest(RESOLVED, null),
          null);
      f.clock().advance(Duration.ofDays(2));
      f.engine().tick();
      assertThat(f.triage().find("acme", closed.id())).isPresent();
      f.clock().advance(Duration.ofMillis(1));
      f.engine().tick();
      assertThat(f.triage().find("acme", closed.id())).isEmpty();
      assertThat(f.triage().find("acme", open.id())).isPresent();
      // the verification of an anomaly that vanished meanwhile fails quietly
      org.assertj.core.api.Assertions.assertThatThrownBy(
          () -> f.triage().verify("acme", closed.id()))
          .isInstanceOf(AnomalyNotFoundException.class);
      f.report(ScriptedDetector.finding("acme", "payroll").build());
      assertThat(f.triage().get("acme", open.id()).occurrences()).isEqualTo(2);
    }
  }
}
