package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import io.batanomaly.testkit.VersionedRepository;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The engine over a store that implements only what the SPI requires, JDBC style. */
class RepositorySpiTest {

  @Test
  void theWholeLifecycleRunsOverAVersionColumnStore() {
    VersionedRepository store = new VersionedRepository();
    try (TriageFixture f = TriageFixture.builder().repository(store).build()) {
      Anomaly a = f.open("acme", "billing");
      f.clock().advance(Duration.ofMinutes(1));
      f.open("acme", "billing"); // absorbed, version + 1
      f.open("acme", "payroll");
      assertThat(f.triage().get("acme", a.id()).occurrences()).isEqualTo(2);

      f.detector().answer(ScriptedDetector.holding());
      f.triage().verify("acme", a.id());
      Anomaly resolved = f.triage().updateStatus("acme", a.id(),
          new StatusUpdateRequest(RESOLVED, "fixed"), "key-1");
      assertThat(f.triage().updateStatus("acme", a.id(),
          new StatusUpdateRequest(RESOLVED, "fixed"), "key-1")).isEqualTo(resolved);
      assertThat(resolved.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, io.batanomaly.api.AnomalyStatus.VERIFYING, OPEN, RESOLVED);

      // the interface's default paging and active lookup
      assertThat(f.triage().list("acme", AnomalyQuery.defaults().withPage(0, 1)).totalPages())
          .isEqualTo(2);
      assertThat(f.triage().list("acme", AnomalyQuery.defaults().withPage(1, 1)).content())
          .extracting(AnomalySummary::id).containsExactly(a.id());
      f.clock().advance(Duration.ofHours(1));
      Anomaly b = f.open("acme", "billing");
      assertThatThrownBy(() -> f.triage().updateStatus("acme", a.id(),
          new StatusUpdateRequest(OPEN, null), null))
          .isInstanceOf(IllegalTransitionException.class).hasMessageContaining(b.id());
      assertThat(f.triage().find("globex", a.id())).isEmpty();
    }
  }

  @Test
  void aRestartOverTheStoreFindsTheActiveAnomalyThroughTheDefaultLookup() {
    VersionedRepository store = new VersionedRepository();
    Anomaly a;
    try (TriageFixture first = TriageFixture.builder().repository(store).build()) {
      a = first.open("acme", "billing");
    }
    try (TriageFixture second = TriageFixture.builder().repository(store).build()) {
      second.report(ScriptedDetector.finding("acme", "billing").build());
      assertThat(second.all("acme")).extracting(Anomaly::id).containsExactly(a.id());
      assertThat(second.triage().get("acme", a.id()).occurrences()).isEqualTo(2);
    }
  }
}
