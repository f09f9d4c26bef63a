package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static io.batanomaly.api.AnomalyStatus.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.testkit.ManualExecutor;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Verification: VERIFYING at once, a job that re-evaluates, and nothing stays VERIFYING. */
class VerificationTest {

  private static HistoryEntry last(Anomaly a) {
    return a.history().get(a.history().size() - 1);
  }

  @Test
  void showsVerifyingRightAfterTheCallAndResolvesWhenTheJobFindsTheConditionOver() {
    ManualExecutor jobs = new ManualExecutor();
    try (TriageFixture f = TriageFixture.builder().executor(jobs).build()) {
      Anomaly a = f.open("acme", "billing");
      f.detector().answer(ScriptedDetector.clearing());
      f.triage().verify("acme", a.id());
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(VERIFYING);
      assertThat(f.detector().reevaluations()).isZero();
      jobs.runAll();
      Anomaly done = f.triage().get("acme", a.id());
      assertThat(done.status()).isEqualTo(RESOLVED);
      assertThat(done.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, VERIFYING, RESOLVED);
      assertThat(last(done).note()).isEqualTo("verification: condition cleared: 0 events in"
          + " the window");
      assertThat(last(done).metrics()).isEqualTo(Map.of("count", 0));
      assertThat(f.engine().health().verificationsPending()).isZero();
    }
  }

  @Test
  void returnsToOpenWithTheReasonWhenTheDetectorThrows() {
    try (TriageFixture f = TriageFixture.builder().build()) {
      Anomaly a = f.open("acme", "billing");
      f.detector().answer(ScriptedDetector.throwing(new IllegalStateException("window gone")));
      f.triage().verify("acme", a.id());
      Anomaly done = f.triage().get("acme", a.id());
      assertThat(done.status()).isEqualTo(OPEN);
      assertThat(last(done).from()).isEqualTo(VERIFYING);
      assertThat(last(done).origin()).isEqualTo(Origin.VERIFICATION);
      assertThat(last(done).note())
          .isEqualTo("verification failed: IllegalStateException: window gone");
      assertThat(last(done).metrics())
          .containsEntry("error", IllegalStateException.class.getName());
      assertThat(f.engine().health().verificationsFailed()).isEqualTo(1);
    }
  }

  @Test
  void returnsToOpenWhenTheDetectorAnswersNothing() {
    try (TriageFixture f = TriageFixture.builder().build()) {
      Anomaly a = f.open("acme", "billing");
      f.detector().answer(x -> null);
      f.triage().verify("acme", a.id());
      Anomaly done = f.triage().get("acme", a.id());
      assertThat(done.status()).isEqualTo(OPEN);
      assertThat(last(done).note()).contains("verification failed").contains("returned null");
    }
  }

  @Test
  @Timeout(30)
  void timesOutAHangingDetectorByTheEngineClockAndIgnoresItsLateResult() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.VERIFY_TIMEOUT, Duration.ofSeconds(30)).build();
    try (TriageFixture f = TriageFixture.builder().config(config).executor(pool).build()) {
      Anomaly a = f.open("acme", "billing");
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      f.detector().answer(ScriptedDetector.hanging(entered, release, Duration.ofSeconds(20),
          ScriptedDetector.clearing()));
      f.triage().verify("acme", a.id());
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      f.clock().advance(Duration.ofSeconds(30).minusMillis(1));
      f.engine().tick();
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(VERIFYING);

      f.clock().advance(Duration.ofMillis(1));
      f.engine().tick();
      Anomaly timedOut = f.triage().get("acme", a.id());
      assertThat(timedOut.status()).isEqualTo(OPEN);
      assertThat(last(timedOut).note()).isEqualTo("verification timed out after 30000 ms");
      assertThat(last(timedOut).at()).isEqualTo(f.clock().instant());
      assertThat(f.engine().health().verificationsPending()).isZero();

      // the hanging job now answers "cleared": too late, it must change nothing
      release.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
      assertThat(f.detector().reevaluations()).isEqualTo(1);
      assertThat(f.triage().get("acme", a.id())).isEqualTo(timedOut);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLateJobDoesNotFinishANewerVerificationStartedInTheSameMillisecond() {
    ManualExecutor jobs = new ManualExecutor();
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.VERIFY_TIMEOUT, Duration.ZERO).build();
    try (TriageFixture f = TriageFixture.builder().config(config).executor(jobs).build()) {
      Anomaly a = f.open("acme", "billing");
      // the first attempt sees a history of two entries; the second one of four
      f.detector().answer(x -> x.history().size() <= 2
          ? Reevaluation.stillHolds("first attempt", Map.of())
          : Reevaluation.cleared("second attempt", Map.of()));
      f.triage().verify("acme", a.id());
      f.engine().tick(); // times out at once, same millisecond
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(OPEN);
      f.triage().verify("acme", a.id());
      jobs.runAll(); // the abandoned job first, then the current one
      Anomaly done = f.triage().get("acme", a.id());
      assertThat(done.status()).isEqualTo(RESOLVED);
      assertThat(last(done).note()).endsWith("second attempt");
      assertThat(done.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, VERIFYING, OPEN, VERIFYING, RESOLVED);
    }
  }

  @Test
  void returnsToOpenWhenNoRunningDetectorReportsTheType() {
    try (TriageFixture f = TriageFixture.builder().build()) {
      f.report(ScriptedDetector.finding("acme", "RETIRED_RULE", "billing").build());
      Anomaly a = f.all("acme").get(0);
      f.triage().verify("acme", a.id());
      Anomaly done = f.triage().get("acme", a.id());
      assertThat(done.status()).isEqualTo(OPEN);
      assertThat(last(done).note())
          .isEqualTo("verification failed: no running detector reports RETIRED_RULE");
      assertThat(f.detector().reevaluations()).isZero();
    }
  }

  @Test
  void returnsToOpenWhenTheExecutorRejectsTheJob() {
    ManualExecutor jobs = new ManualExecutor();
    jobs.rejecting(true);
    try (TriageFixture f = TriageFixture.builder().executor(jobs).build()) {
      Anomaly a = f.open("acme", "billing");
      f.triage().verify("acme", a.id());
      Anomaly done = f.triage().get("acme", a.id());
      assertThat(done.status()).isEqualTo(OPEN);
      assertThat(done.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, VERIFYING, OPEN);
      assertThat(last(done).note()).startsWith("verification could not be scheduled: the"
          + " executor rejected the job");
      assertThat(f.engine().health().verificationsPending()).isZero();
    }
  }

  @Test
  void returnsToOpenWhenTheExecutorFailsInAnyOtherWay() {
    try (TriageFixture f = TriageFixture.builder()
        .executor(job -> {
          throw new IllegalStateException("pool is broken");
        }).build()) {
      Anomaly a = f.open("acme", "billing");
      f.triage().verify("acme", a.id());
      Anomaly done = f.triage().get("acme", a.id());
      assertThat(done.status()).isEqualTo(OPEN);
      assertThat(last(done).note()).isEqualTo("verification could not be scheduled:"
          + " IllegalStateException: pool is broken");
    }
  }

  @Test
  void anExecutorThatNeverRunsTheJobIsCaughtByTheTimeout() {
    ManualExecutor jobs = new ManualExecutor();
    try (TriageFixture f = TriageFixture.builder().executor(jobs).build()) {
      Anomaly a = f.open("acme", "billing");
      f.triage().verify("acme", a.id());
      f.clock().advance(AnomalySettings.VERIFY_TIMEOUT.defaultValue());
      f.engine().tick();
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(OPEN);
      // the job finally runs: abandoned, it does not even ask the detector
      jobs.runAll();
      assertThat(f.detector().reevaluations()).isZero();
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(OPEN);
    }
  }

  @Test
  @Timeout(60)
  void nothingStaysVerifyingWhateverTheJobsDo() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch release = new CountDownLatch(1);
    try (TriageFixture f = TriageFixture.builder().executor(pool).build()) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        ids.add(f.open("acme", "svc-" + i).id());
      }
      f.detector().answer(x -> {
        int n = Integer.parseInt(x.subject().substring(4));
        switch (n % 4) {
          case 0:
            return Reevaluation.cleared("cleared", Map.of());
          case 1:
            return Reevaluation.stillHolds("holds", Map.of());
          case 2:
            throw new IllegalStateException("broken " + n);
          default:
            try {
              release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Reevaluation.cleared("late", Map.of());
        }
      });
      for (String id : ids) {
        f.triage().verify("acme", id);
      }
      // the hanging jobs hold both threads, so most jobs never start before the timeout
      f.clock().advance(AnomalySettings.VERIFY_TIMEOUT.defaultValue());
      f.engine().tick();
      release.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
      List<AnomalyStatus> statuses = ids.stream()
          .map(id -> f.triage().get("acme", id).status()).toList();
      assertThat(statuses).doesNotContain(VERIFYING).hasSize(40);
      assertThat(f.engine().health().verificationsPending()).isZero();
      for (String id : ids) {
        Anomaly a = f.triage().get("acme", id);
        // exactly one entry left VERIFYING: no late result was applied on top of the timeout
        assertThat(a.history()).filteredOn(h -> h.from() == VERIFYING).hasSize(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closingTheEngineReturnsAnomaliesBeingVerifiedToOpen() {
    io.batanomaly.internal.InMemoryAnomalyRepository store =
        new io.batanomaly.internal.InMemoryAnomalyRepository(100, Duration.ofDays(30));
    ManualExecutor jobs = new ManualExecutor();
    Anomaly a;
    try (TriageFixture f = TriageFixture.builder().repository(store).executor(jobs).build()) {
      a = f.open("acme", "billing");
      f.triage().verify("acme", a.id());
    }
    Anomaly after = store.find("acme", a.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(OPEN);
    assertThat(last(after).note()).isEqualTo("verification abandoned: the engine was closed");
    jobs.runAll(); // the job of the closed engine changes nothing
    assertThat(store.find("acme", a.id())).contains(after);
  }

  @Test
  void anAnomalyStrandedInVerifyingByAStoppedEngineReturnsToOpenAfterTheTimeout() {
    io.batanomaly.internal.InMemoryAnomalyRepository store =
        new io.batanomaly.internal.InMemoryAnomalyRepository(100, Duration.ofDays(30));
    // an engine that verifies and then dies without closing: its job never runs
    TriageFixture crashed = TriageFixture.builder().repository(store)
        .executor(new ManualExecutor()).build();
    Anomaly a = crashed.open("acme", "billing");
    crashed.triage().verify("acme", a.id());

    try (TriageFixture f = TriageFixture.builder().repository(store).build()) {
      f.clock().advance(Duration.ofSeconds(29));
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(VERIFYING);
      f.clock().advance(Duration.ofSeconds(1));
      assertThat(f.triage().list("acme", io.batanomaly.api.AnomalyQuery.defaults()).content())
          .singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(OPEN));
      Anomaly repaired = f.triage().get("acme", a.id());
      assertThat(last(repaired).note()).startsWith("verification abandoned: no job is running");
      assertThat(repaired.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, VERIFYING, OPEN);
      // and it can be verified again by the running engine
      f.detector().answer(ScriptedDetector.clearing());
      f.triage().verify("acme", a.id());
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(RESOLVED);
    } finally {
      crashed.close();
    }
  }

  @Test
  void aStrandedAnomalyIsRepairedBeforeAStatusUpdateIsJudged() {
    io.batanomaly.internal.InMemoryAnomalyRepository store =
        new io.batanomaly.internal.InMemoryAnomalyRepository(100, Duration.ofDays(30));
    TriageFixture crashed = TriageFixture.builder().repository(store)
        .executor(new ManualExecutor()).build();
    Anomaly a = crashed.open("acme", "billing");
    crashed.triage().verify("acme", a.id());
    try (TriageFixture f = TriageFixture.builder().repository(store).build()) {
      f.clock().advance(Duration.ofMinutes(5));
      Anomaly resolved = f.triage().updateStatus("acme", a.id(),
          new io.batanomaly.api.StatusUpdateRequest(RESOLVED, "done"), null);
      assertThat(resolved.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, VERIFYING, OPEN, RESOLVED);
    } finally {
      crashed.close();
    }
  }

  @Test
  void anAnomalyVerifiedOverAndOverKeepsItsOpeningEntryAndTheNewestChangesOnly() {
    // Regression: the history had no bound and was copied whole on every change.
    try (io.batanomaly.testkit.TriageFixture g =
        io.batanomaly.testkit.TriageFixture.builder().build()) {
      io.batanomaly.api.Anomaly a = g.open("acme", "billing");
      int cycles = io.batanomaly.internal.AnomalyLifecycle.MAX_HISTORY;
      for (int i = 0; i < cycles; i++) {
        g.triage().verify("acme", a.id());
      }
      java.util.List<io.batanomaly.api.HistoryEntry> history =
          g.triage().get("acme", a.id()).history();
      assertThat(history).hasSize(io.batanomaly.internal.AnomalyLifecycle.MAX_HISTORY);
      assertThat(history.get(0).from()).isNull();
      assertThat(history.get(0).note()).isEqualTo(a.history().get(0).note());
      assertThat(history.get(history.size() - 1).to())
          .isEqualTo(io.batanomaly.api.AnomalyStatus.OPEN);
      assertThat(history.get(history.size() - 1).origin())
          .isEqualTo(io.batanomaly.api.Origin.VERIFICATION);
    }
  }
}
