package io.batanomaly.triage;

import static io.batanomaly.api.AnomalyStatus.DISMISSED;
import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static io.batanomaly.api.AnomalyStatus.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.Origin;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.testkit.ManualExecutor;
import io.batanomaly.testkit.ScriptedDetector;
import io.batanomaly.testkit.TriageFixture;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Racing transitions on one anomaly: one winner per round, a history without gaps. */
class TriageConcurrencyTest {

  private static final int ROUNDS = 300;
  /** Two threads for each competing change out of OPEN. */
  private static final List<AnomalyStatus> CONTENDERS =
      List.of(RESOLVED, RESOLVED, DISMISSED, DISMISSED, VERIFYING, VERIFYING);

  /** Asserts that each entry starts where the previous one ended. */
  private static void assertUnbrokenChain(List<HistoryEntry> history) {
    assertThat(history.get(0).from()).isNull();
    for (int i = 1; i < history.size(); i++) {
      assertThat(history.get(i).from())
          .as("entry %d starts where entry %d ended", i, i - 1)
          .isEqualTo(history.get(i - 1).to());
    }
  }

  @Test
  @Timeout(120)
  void exactlyOneOfManyRacingTransitionsWinsEachRoundAndTheHistoryKeepsEveryChange()
      throws Exception {
    ManualExecutor jobs = new ManualExecutor();
    ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS.size());
    try (TriageFixture f = TriageFixture.builder().executor(jobs).build()) {
      String id = f.open("acme", "billing").id();
      CyclicBarrier start = new CyclicBarrier(CONTENDERS.size());
      Map<AnomalyStatus, Integer> wins = new EnumMap<>(AnomalyStatus.class);
      int conflicts = 0;
      for (int round = 0; round < ROUNDS; round++) {
        List<Future<AnomalyStatus>> results = new ArrayList<>();
        for (AnomalyStatus target : CONTENDERS) {
          results.add(threads.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            try {
              if (target == VERIFYING) {
                f.triage().verify("acme", id);
              } else {
                f.triage().updateStatus("acme", id, new StatusUpdateRequest(target, "race"),
                    null);
              }
              return target;
            } catch (IllegalTransitionException e) {
              return null;
            }
          }));
        }
        List<AnomalyStatus> winners = new ArrayList<>();
        for (Future<AnomalyStatus> r : results) {
          AnomalyStatus won = r.get(20, TimeUnit.SECONDS);
          if (won == null) {
            conflicts++;
          } else {
            winners.add(won);
          }
        }
        assertThat(winners).as("winners of round %d", round).hasSize(1);
        AnomalyStatus won = winners.get(0);
        wins.merge(won, 1, Integer::sum);
        assertThat(f.triage().get("acme", id).status()).isEqualTo(won);
        // back to OPEN for the next round
        if (won == VERIFYING) {
          assertThat(jobs.runAll()).isEqualTo(1);
        } else {
          f.triage().updateStatus("acme", id, new StatusUpdateRequest(OPEN, null), null);
        }
      }
      assertThat(conflicts).isEqualTo(ROUNDS * (CONTENDERS.size() - 1));
      Anomaly a = f.triage().get("acme", id);
      assertThat(a.status()).isEqualTo(OPEN);
      assertThat(a.history()).hasSize(1 + 2 * ROUNDS);
      assertUnbrokenChain(a.history());
      for (AnomalyStatus s : List.of(RESOLVED, DISMISSED, VERIFYING)) {
        assertThat(a.history()).filteredOn(h -> h.to() == s)
            .as("history entries to %s", s).hasSize(wins.getOrDefault(s, 0));
      }
      assertThat(a.history()).filteredOn(h -> h.origin() == Origin.USER && h.to() != OPEN)
          .allSatisfy(h -> assertThat(h.note()).isEqualTo("race"));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  @Timeout(120)
  void findingsAbsorbedDuringRacingVerificationsAreAllCounted() throws Exception {
    ExecutorService jobs = Executors.newFixedThreadPool(2);
    ExecutorService threads = Executors.newFixedThreadPool(6);
    int findingsPerThread = 500;
    try (TriageFixture f = TriageFixture.builder().executor(jobs).build()) {
      String id = f.open("acme", "billing").id();
      f.detector().answer(ScriptedDetector.holding());
      AtomicInteger verifications = new AtomicInteger();
      CyclicBarrier start = new CyclicBarrier(6);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        done.add(threads.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < findingsPerThread; i++) {
            f.detector().fire(ScriptedDetector.finding("acme", "billing").build());
            f.engine().tick();
          }
          return null;
        }));
      }
      for (int t = 0; t < 3; t++) {
        done.add(threads.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < findingsPerThread; i++) {
            try {
              f.triage().verify("acme", id);
              verifications.incrementAndGet();
            } catch (IllegalTransitionException busy) {
              // another verification is running: expected while racing
            }
          }
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get(60, TimeUnit.SECONDS);
      }
      jobs.shutdown();
      assertThat(jobs.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      f.engine().tick(); // findings left queued by ticks that found another tick running

      Anomaly a = f.triage().get("acme", id);
      assertThat(a.status()).isEqualTo(OPEN);
      assertThat(a.occurrences()).isEqualTo(1 + 3L * findingsPerThread);
      assertThat(verifications.get()).isPositive();
      assertThat(a.history()).hasSize(1 + 2 * verifications.get());
      assertUnbrokenChain(a.history());
      assertThat(f.all("acme")).hasSize(1);
    } finally {
      jobs.shutdownNow();
      threads.shutdownNow();
    }
  }
}
