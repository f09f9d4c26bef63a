package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.TriageFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Another tenant's anomaly is indistinguishable from a missing one, on every operation. */
class TenantIsolationTest {

  private final TriageFixture f = TriageFixture.builder().build();
  private Anomaly acme;

  @AfterEach
  void close() {
    f.close();
  }

  private void openOneInAcme() {
    acme = f.open("acme", "billing");
  }

  private static String messageOf(Runnable r) {
    try {
      r.run();
    } catch (AnomalyNotFoundException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected AnomalyNotFoundException");
  }

  @Test
  void listShowsOnlyTheTenantsOwnAnomalies() {
    openOneInAcme();
    Anomaly globex = f.open("globex", "billing");
    assertThat(f.triage().list("acme", AnomalyQuery.defaults()).content())
        .extracting(AnomalySummary::id).containsExactly(acme.id());
    assertThat(f.triage().list("globex", AnomalyQuery.defaults()).content())
        .extracting(AnomalySummary::id).containsExactly(globex.id());
    assertThat(globex.id()).isNotEqualTo(acme.id());
  }

  @Test
  void getAndFindOfAnotherTenantsIdBehaveAsAMissingId() {
    openOneInAcme();
    assertThat(f.triage().find("globex", acme.id())).isEmpty();
    assertThat(messageOf(() -> f.triage().get("globex", acme.id())))
        .isEqualTo(messageOf(() -> f.triage().get("globex", "anom-doesnotexist"))
            .replace("anom-doesnotexist", acme.id()));
    assertThat(f.triage().get("acme", acme.id())).isEqualTo(acme);
  }

  @Test
  void verifyOfAnotherTenantsIdIsNotFoundAndChangesNothing() {
    openOneInAcme();
    assertThatThrownBy(() -> f.triage().verify("globex", acme.id()))
        .isInstanceOfSatisfying(AnomalyNotFoundException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(404));
    assertThat(f.triage().get("acme", acme.id())).isEqualTo(acme);
    assertThat(f.detector().reevaluations()).isZero();
  }

  @Test
  void statusUpdateOfAnotherTenantsIdIsNotFoundAndChangesNothing() {
    openOneInAcme();
    StatusUpdateRequest resolve = new StatusUpdateRequest(RESOLVED, null);
    assertThatThrownBy(() -> f.triage().updateStatus("globex", acme.id(), resolve, null))
        .isInstanceOf(AnomalyNotFoundException.class);
    assertThatThrownBy(() -> f.triage().updateStatus("globex", acme.id(), resolve, "key-1"))
        .isInstanceOf(AnomalyNotFoundException.class);
    assertThat(f.triage().get("acme", acme.id()).status()).isEqualTo(OPEN);
    // globex's stored 404 for key-1 is no business of acme's key-1
    assertThat(f.triage().updateStatus("acme", acme.id(), resolve, "key-1").status())
        .isEqualTo(RESOLVED);
  }

  @Test
  void theSameTypeAndSubjectInTwoTenantsAreTwoAnomaliesWithTheirOwnLifecycle() {
    openOneInAcme();
    Anomaly globex = f.open("globex", "billing");
    f.triage().updateStatus("acme", acme.id(), new StatusUpdateRequest(RESOLVED, null), null);
    // globex's anomaly still absorbs findings; acme's subject is in cooldown
    f.open("globex", "billing");
    assertThat(f.triage().get("globex", globex.id()).occurrences()).isEqualTo(2);
    assertThat(f.triage().get("globex", globex.id()).status()).isEqualTo(OPEN);
    assertThat(f.triage().get("acme", acme.id()).status()).isEqualTo(RESOLVED);
  }

  @Test
  void theSameIdInTwoTenantsIsVerifiedSeparately() {
    // Regression: verification jobs were keyed by anomaly id alone, while ids are unique per
    // tenant only: the second tenant's verify replaced the first one's pending job, which then
    // never ran and left its anomaly VERIFYING.
    io.batanomaly.testkit.ManualExecutor executor = new io.batanomaly.testkit.ManualExecutor();
    try (TriageFixture g = TriageFixture.builder().executor(executor)
        .idGenerator(finding -> "anom-same").build()) {
      Anomaly inAcme = g.open("acme", "billing");
      Anomaly inGlobex = g.open("globex", "billing");
      assertThat(inAcme.id()).isEqualTo(inGlobex.id());

      g.triage().verify("acme", inAcme.id());
      g.triage().verify("globex", inGlobex.id());
      assertThat(g.engine().health().verificationsPending()).isEqualTo(2);
      executor.runAll();

      assertThat(g.triage().get("acme", inAcme.id()).status()).isEqualTo(OPEN);
      assertThat(g.triage().get("globex", inGlobex.id()).status()).isEqualTo(OPEN);
      assertThat(g.engine().health().verificationsPending()).isZero();
      // each tenant's status change stays its own
      g.triage().updateStatus("acme", inAcme.id(), new StatusUpdateRequest(RESOLVED, null),
          null);
      assertThat(g.triage().get("globex", inGlobex.id()).status()).isEqualTo(OPEN);
      assertThat(g.triage().get("acme", inAcme.id()).status()).isEqualTo(RESOLVED);
    }
  }
}
