package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.DISMISSED;
import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static io.batanomaly.api.AnomalyStatus.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.Origin;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.ManualExecutor;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell of the transition table, driven through the triage service. */
class TriageTransitionsTest {

  private final ManualExecutor jobs = new ManualExecutor();
  private final TriageFixture f = TriageFixture.builder().executor(jobs).build();

  @AfterEach
  void close() {
    f.close();
  }

  static Stream<Arguments> patchCells() {
    List<Arguments> cells = new ArrayList<>();
    for (AnomalyStatus from : AnomalyStatus.values()) {
      for (AnomalyStatus to : List.of(OPEN, RESOLVED, DISMISSED)) {
        boolean allowed = (from == OPEN && (to == RESOLVED || to == DISMISSED))
            || ((from == RESOLVED || from == DISMISSED) && to == OPEN);
        cells.add(Arguments.of(from, to, allowed));
      }
    }
    return cells.stream();
  }

  @ParameterizedTest(name = "PATCH {0} -> {1} allowed: {2}")
  @MethodSource("patchCells")
  void statusUpdatesFollowTheTable(AnomalyStatus from, AnomalyStatus to, boolean allowed) {
    Anomaly before = f.inStatus("acme", "billing", from, jobs);
    assertThat(before.status()).isEqualTo(from);
    f.clock().advance(Duration.ofMinutes(3));
    StatusUpdateRequest request = new StatusUpdateRequest(to, "triaged by ops");
    if (allowed) {
      Anomaly after = f.triage().updateStatus("acme", before.id(), request, null);
      assertThat(after.status()).isEqualTo(to);
      assertThat(after.history()).hasSize(before.history().size() + 1);
      assertThat(after.history().get(after.history().size() - 1)).isEqualTo(new HistoryEntry(
          from, to, f.clock().instant(), "triaged by ops", Origin.USER, null));
      assertThat(f.triage().get("acme", before.id())).isEqualTo(after);
    } else {
      assertThatThrownBy(() -> f.triage().updateStatus("acme", before.id(), request, null))
          .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
            assertThat(e.current()).isEqualTo(from);
            assertThat(e.requested()).isEqualTo(to);
            assertThat(e.httpStatus()).isEqualTo(409);
            assertThat(e.getMessage()).contains(before.id(), from.name(), to.name());
          });
      assertThat(f.triage().get("acme", before.id())).isEqualTo(before);
    }
  }

  @ParameterizedTest(name = "verify from {0}")
  @EnumSource(AnomalyStatus.class)
  void verifyIsAllowedFromOpenOnly(AnomalyStatus from) {
    Anomaly before = f.inStatus("acme", "billing", from, jobs);
    int queued = jobs.queued();
    if (from == OPEN) {
      f.triage().verify("acme", before.id());
      Anomaly after = f.triage().get("acme", before.id());
      assertThat(after.status()).isEqualTo(VERIFYING);
      HistoryEntry last = after.history().get(after.history().size() - 1);
      assertThat(last.from()).isEqualTo(OPEN);
      assertThat(last.to()).isEqualTo(VERIFYING);
      assertThat(last.origin()).isEqualTo(Origin.VERIFICATION);
      assertThat(jobs.queued()).isEqualTo(queued + 1);
    } else {
      assertThatThrownBy(() -> f.triage().verify("acme", before.id()))
          .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
            assertThat(e.current()).isEqualTo(from);
            assertThat(e.requested()).isEqualTo(VERIFYING);
          });
      assertThat(f.triage().get("acme", before.id())).isEqualTo(before);
      assertThat(jobs.queued()).isEqualTo(queued);
    }
  }

  @Test
  void theVerificationJobMovesVerifyingToResolvedWhenTheConditionCleared() {
    Anomaly a = f.inStatus("acme", "billing", VERIFYING, jobs);
    f.detector().answer(ScriptedDetector.clearing());
    jobs.runAll();
    Anomaly after = f.triage().get("acme", a.id());
    assertThat(after.status()).isEqualTo(RESOLVED);
    HistoryEntry last = after.history().get(after.history().size() - 1);
    assertThat(last.from()).isEqualTo(VERIFYING);
    assertThat(last.origin()).isEqualTo(Origin.VERIFICATION);
    assertThat(last.metrics()).containsEntry("count", 0);
  }

  @Test
  void theVerificationJobMovesVerifyingBackToOpenWhenTheConditionHolds() {
    Anomaly a = f.inStatus("acme", "billing", VERIFYING, jobs);
    f.detector().answer(ScriptedDetector.holding());
    jobs.runAll();
    Anomaly after = f.triage().get("acme", a.id());
    assertThat(after.status()).isEqualTo(OPEN);
    HistoryEntry last = after.history().get(after.history().size() - 1);
    assertThat(last.from()).isEqualTo(VERIFYING);
    assertThat(last.note()).contains("still holds").contains("42 events in the window");
    assertThat(last.metrics()).containsEntry("count", 42);
  }

  @Test
  void aDetectorClearsAnOpenAnomalyButLeavesOneBeingVerifiedToItsJob() {
    Anomaly open = f.open("acme", "billing");
    f.detector().clear("acme", ScriptedDetector.TYPE, "billing", "traffic is back");
    f.engine().tick();
    Anomaly cleared = f.triage().get("acme", open.id());
    assertThat(cleared.status()).isEqualTo(RESOLVED);
    assertThat(cleared.history().get(cleared.history().size() - 1).origin())
        .isEqualTo(Origin.DETECTOR);
    assertThat(cleared.history().get(cleared.history().size() - 1).note())
        .isEqualTo("traffic is back");

    Anomaly verifying = f.inStatus("acme", "payroll", VERIFYING, jobs);
    f.detector().clear("acme", ScriptedDetector.TYPE, "payroll", "traffic is back");
    f.engine().tick();
    assertThat(f.triage().get("acme", verifying.id())).isEqualTo(verifying);
  }

  @Test
  void theOpeningIsTheFirstHistoryEntryWithoutAPreviousStatus() {
    Anomaly a = f.open("acme", "billing");
    assertThat(a.history()).singleElement().satisfies(h -> {
      assertThat(h.from()).isNull();
      assertThat(h.to()).isEqualTo(OPEN);
      assertThat(h.origin()).isEqualTo(Origin.DETECTOR);
      assertThat(h.at()).isEqualTo(TriageFixture.T0);
    });
  }

  /** A store whose next replace finds the anomaly removed at that moment (by its bound). */
  static final class RemovingRepository implements io.batanomaly.spi.AnomalyRepository {
    final io.batanomaly.spi.AnomalyRepository delegate =
        new io.batanomaly.internal.InMemoryAnomalyRepository(100, java.time.Duration.ofDays(30));
    volatile String removeOnReplace;
    volatile String removed;

    @Override
    public void insert(io.batanomaly.api.Anomaly anomaly) {
      delegate.insert(anomaly);
    }

    @Override
    public java.util.Optional<io.batanomaly.api.Anomaly> find(String tenant, String id) {
      return id.equals(removed) ? java.util.Optional.empty() : delegate.find(tenant, id);
    }

    @Override
    public boolean replace(io.batanomaly.api.Anomaly expected, io.batanomaly.api.Anomaly updated) {
      if (expected.id().equals(removeOnReplace)) {
        removed = expected.id();
        return false;
      }
      return delegate.replace(expected, updated);
    }

    @Override
    public java.util.List<io.batanomaly.api.Anomaly> list(String tenant, String type,
        java.time.Instant detectedSince) {
      return delegate.list(tenant, type, detectedSince).stream()
          .filter(a -> !a.id().equals(removed)).toList();
    }
  }

  @Test
  void aStatusUpdateOfAnAnomalyRemovedAtTheSameMomentIsNotFound() {
    // Regression: the failed compare-and-set of an anomaly removed meanwhile threw an
    // IllegalStateException, answered 500; the anomaly is gone, so it is a 404.
    RemovingRepository repository = new RemovingRepository();
    try (io.batanomaly.testkit.TriageFixture g =
        io.batanomaly.testkit.TriageFixture.builder().repository(repository).build()) {
      io.batanomaly.api.Anomaly a = g.open("acme", "billing");
      repository.removeOnReplace = a.id();
      assertThatThrownBy(() -> g.triage().updateStatus("acme", a.id(),
          new io.batanomaly.api.StatusUpdateRequest(io.batanomaly.api.AnomalyStatus.RESOLVED,
              null), null))
          .isInstanceOf(io.batanomaly.api.AnomalyNotFoundException.class);
    }
  }
}
