package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.DISMISSED;
import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.Severity;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.internal.InMemoryAnomalyRepository;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Dedup, cooldown after RESOLVED, suppression after DISMISSED, and reopening. */
class ClosedAnomalyLifecycleTest {

  private static final Duration COOLDOWN = Duration.ofMinutes(10);
  private static final Duration DISMISSAL = Duration.ofHours(24);

  private final TriageFixture f = TriageFixture.builder()
      .config(AnomalyConfig.defaults().toBuilder()
          .set(AnomalySettings.COOLDOWN, COOLDOWN)
          .set(AnomalySettings.DISMISSED_SUPPRESSION, DISMISSAL)
          .build())
      .build();

  @AfterEach
  void close() {
    f.close();
  }

  private Anomaly patch(Anomaly a, io.batanomaly.api.AnomalyStatus to) {
    return f.triage().updateStatus(a.tenant(), a.id(), new StatusUpdateRequest(to, null), null);
  }

  private long count() {
    return f.all("acme").size();
  }

  @Test
  void aRepeatedFindingUpdatesTheActiveAnomalyAndSeverityOnlyRises() {
    Anomaly a = f.open("acme", "billing", Severity.HIGH);
    f.clock().advance(Duration.ofMinutes(2));
    f.report(ScriptedDetector.finding("acme", "billing").severity(Severity.LOW)
        .summary("still spiking").metric("count", 99).build());
    Anomaly updated = f.triage().get("acme", a.id());
    assertThat(count()).isEqualTo(1);
    assertThat(updated.occurrences()).isEqualTo(2);
    assertThat(updated.severity()).isEqualTo(Severity.HIGH);
    assertThat(updated.lastSeenAt()).isEqualTo(f.clock().instant());
    assertThat(updated.detectedAt()).isEqualTo(a.detectedAt());
    assertThat(updated.summary()).isEqualTo("still spiking");
    assertThat(updated.metrics()).containsEntry("count", 99);
    assertThat(updated.history()).hasSize(1);
    f.report(ScriptedDetector.finding("acme", "billing").severity(Severity.CRITICAL).build());
    assertThat(f.triage().get("acme", a.id()).severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.engine().health().findingsDeduplicated()).isEqualTo(2);
  }

  @Test
  void afterResolvedANewFindingOpensANewAnomalyOnlyOnceTheCooldownHasPassed() {
    Anomaly a = f.open("acme", "billing");
    patch(a, RESOLVED);
    f.clock().advance(COOLDOWN.minusMillis(1));
    f.report(ScriptedDetector.finding("acme", "billing").severity(Severity.CRITICAL).build());
    assertThat(count()).isEqualTo(1);
    assertThat(f.engine().health().findingsSuppressed()).isEqualTo(1);

    f.clock().advance(Duration.ofMillis(1));
    Anomaly b = f.open("acme", "billing");
    assertThat(b.id()).isNotEqualTo(a.id());
    assertThat(b.status()).isEqualTo(OPEN);
    assertThat(b.occurrences()).isEqualTo(1);
    assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(RESOLVED);
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void theCooldownAlsoFollowsAResolutionByVerificationAndByTheDetector() {
    Anomaly a = f.open("acme", "billing");
    f.detector().answer(ScriptedDetector.clearing());
    f.triage().verify("acme", a.id());
    assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(RESOLVED);
    f.report(ScriptedDetector.finding("acme", "billing").build());
    assertThat(count()).isEqualTo(1);

    Anomaly c = f.open("acme", "payroll");
    f.detector().clear("acme", ScriptedDetector.TYPE, "payroll", "back to normal");
    f.engine().tick();
    f.report(ScriptedDetector.finding("acme", "payroll").build());
    assertThat(f.all("acme")).filteredOn(x -> x.subject().equals("payroll"))
        .extracting(Anomaly::id).containsExactly(c.id());
  }

  @Test
  void aCooldownIsPerTypeAndSubject() {
    Anomaly a = f.open("acme", "billing");
    patch(a, RESOLVED);
    f.open("acme", "payroll");
    f.report(ScriptedDetector.finding("acme", "MASS_DELETE", "billing").build());
    assertThat(count()).isEqualTo(3);
  }

  @Test
  void afterDismissedNoMoreSevereFindingsStaySuppressedForTheDismissalPeriod() {
    Anomaly a = f.open("acme", "billing", Severity.HIGH);
    patch(a, DISMISSED);
    f.clock().advance(COOLDOWN.multipliedBy(3));
    f.report(ScriptedDetector.finding("acme", "billing").severity(Severity.HIGH).build());
    f.report(ScriptedDetector.finding("acme", "billing").severity(Severity.LOW).build());
    assertThat(count()).isEqualTo(1);
    f.clock().advance(DISMISSAL.minus(COOLDOWN.multipliedBy(3)).minusMillis(1));
    f.engine().tick();
    f.report(ScriptedDetector.finding("acme", "billing").severity(Severity.HIGH).build());
    assertThat(count()).isEqualTo(1);
    assertThat(f.engine().health().findingsSuppressed()).isEqualTo(3);

    f.clock().advance(Duration.ofMillis(1));
    Anomaly b = f.open("acme", "billing", Severity.HIGH);
    assertThat(b.id()).isNotEqualTo(a.id());
    assertThat(count()).isEqualTo(2);
  }

  @Test
  void afterDismissedAMoreSevereFindingOpensANewAnomalyAtOnce() {
    Anomaly a = f.open("acme", "billing", Severity.MEDIUM);
    patch(a, DISMISSED);
    f.report(ScriptedDetector.finding("acme", "billing").severity(Severity.MEDIUM).build());
    assertThat(count()).isEqualTo(1);
    Anomaly b = f.open("acme", "billing", Severity.HIGH);
    assertThat(b.id()).isNotEqualTo(a.id());
    assertThat(b.severity()).isEqualTo(Severity.HIGH);
    assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(DISMISSED);
  }

  @Test
  void aDismissalNeverSuppressesForLessThanTheCooldown() {
    TriageFixture shortDismissal = TriageFixture.builder()
        .config(AnomalyConfig.defaults().toBuilder()
            .set(AnomalySettings.COOLDOWN, COOLDOWN)
            .set(AnomalySettings.DISMISSED_SUPPRESSION, Duration.ZERO).build())
        .build();
    try (shortDismissal) {
      Anomaly a = shortDismissal.open("acme", "billing");
      patch(shortDismissal, a, DISMISSED);
      shortDismissal.clock().advance(COOLDOWN.minusMillis(1));
      shortDismissal.report(ScriptedDetector.finding("acme", "billing").build());
      assertThat(shortDismissal.all("acme")).hasSize(1);
      shortDismissal.clock().advance(Duration.ofMillis(1));
      shortDismissal.report(ScriptedDetector.finding("acme", "billing").build());
      assertThat(shortDismissal.all("acme")).hasSize(2);
    }
  }

  private static void patch(TriageFixture fixture, Anomaly a,
      io.batanomaly.api.AnomalyStatus to) {
    fixture.triage().updateStatus(a.tenant(), a.id(), new StatusUpdateRequest(to, null), null);
  }

  @Test
  void reopeningLiftsTheSuppressionAndTheAnomalyAbsorbsFindingsAgain() {
    Anomaly a = f.open("acme", "billing");
    patch(a, DISMISSED);
    patch(a, OPEN);
    f.report(ScriptedDetector.finding("acme", "billing").build());
    Anomaly reopened = f.triage().get("acme", a.id());
    assertThat(reopened.status()).isEqualTo(OPEN);
    assertThat(reopened.occurrences()).isEqualTo(2);
    assertThat(count()).isEqualTo(1);
    // closing it again starts a fresh cooldown
    patch(a, RESOLVED);
    f.report(ScriptedDetector.finding("acme", "billing").build());
    assertThat(count()).isEqualTo(1);
  }

  @Test
  void reopeningIsRefusedWhileAnotherAnomalyIsActiveForTheSameTypeAndSubject() {
    Anomaly a = f.open("acme", "billing");
    patch(a, RESOLVED);
    f.clock().advance(COOLDOWN);
    Anomaly b = f.open("acme", "billing");

    assertThatThrownBy(() -> patch(a, OPEN))
        .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(409);
          assertThat(e.current()).isEqualTo(RESOLVED);
          assertThat(e.requested()).isEqualTo(OPEN);
        })
        .hasMessageContaining(b.id())
        .hasMessageContaining("already active for the same type and subject");
    assertThat(f.triage().get("acme", a.id()).history()).extracting(HistoryEntry::to)
        .containsExactly(OPEN, RESOLVED);

    // once the other one is closed, the old one may be reopened
    patch(b, DISMISSED);
    assertThat(patch(a, OPEN).status()).isEqualTo(OPEN);
    f.report(ScriptedDetector.finding("acme", "billing").build());
    assertThat(f.triage().get("acme", a.id()).occurrences()).isEqualTo(2);
  }

  @Test
  void anEngineRestartedOverTheSameRepositoryUpdatesTheAnomalyItHadOpened() {
    InMemoryAnomalyRepository shared = new InMemoryAnomalyRepository(100, Duration.ofDays(30));
    Anomaly a;
    try (TriageFixture first = TriageFixture.builder().repository(shared).build()) {
      a = first.open("acme", "billing");
    }
    try (TriageFixture second = TriageFixture.builder().repository(shared).build()) {
      second.report(ScriptedDetector.finding("acme", "billing").build());
      assertThat(second.all("acme")).extracting(Anomaly::id).containsExactly(a.id());
      assertThat(second.triage().get("acme", a.id()).occurrences()).isEqualTo(2);
    }
  }

  @Test
  void anEngineRestartedOverTheSameRepositoryStillRefusesASecondActiveAnomaly() {
    InMemoryAnomalyRepository shared = new InMemoryAnomalyRepository(100, Duration.ofDays(30));
    Anomaly old;
    Anomaly current;
    try (TriageFixture first = TriageFixture.builder().repository(shared).build()) {
      old = first.open("acme", "billing");
      patch(first, old, RESOLVED);
      first.clock().advance(Duration.ofHours(1));
      current = first.open("acme", "billing");
    }
    try (TriageFixture second = TriageFixture.builder().repository(shared).build()) {
      assertThatThrownBy(() -> patch(second, old, OPEN))
          .isInstanceOf(IllegalTransitionException.class)
          .hasMessageContaining(current.id());
    }
  }
}
