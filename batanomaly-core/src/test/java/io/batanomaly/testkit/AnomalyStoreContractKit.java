package io.batanomaly.testkit;

import static io.batanomaly.api.AnomalyStatus.DISMISSED;
import static io.batanomaly.api.AnomalyStatus.OPEN;
import static io.batanomaly.api.AnomalyStatus.RESOLVED;
import static io.batanomaly.api.AnomalyStatus.VERIFYING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalySettings;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.IdempotencyKeyReusedException;
import io.batanomaly.api.IllegalTransitionException;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageException;
import io.batanomaly.spi.ActiveAnomalyExistsException;
import io.batanomaly.spi.AnomalyRepository;
import io.batanomaly.spi.AnomalyStore;
import io.batanomaly.spi.IdempotencyStore;
import io.batanomaly.spi.IdempotencyStore.Claim;
import io.batanomaly.spi.IdempotencyStore.Outcome;
import io.batanomaly.spi.SuppressionStore;
import io.batanomaly.spi.SuppressionStore.Suppression;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The checks every {@link AnomalyStore} must pass, whatever keeps the data: the in-memory store,
 * SQLite and PostgreSQL run the same ones (after Micrometer's
 * {@code MeterRegistryCompatibilityKit}). A subclass supplies an empty store, and for the restart
 * and multi-engine checks, a second handle on the same data.
 *
 * <p>The SPI checks call the three stores directly; the engine checks run one or two engines
 * ({@link TriageFixture}) over them: the restart keeps statuses, history, a replayed
 * Idempotency-Key and a cooldown; two engines racing on one store give exactly one winner per
 * transition, one active anomaly per key and every change in the history once.
 */
public abstract class AnomalyStoreContractKit {

  /** A moment on a millisecond, as stores keep detection times. */
  protected static final Instant T0 = TriageFixture.T0;

  /**
   * Returns an empty store.
   *
   * @param retention how long closed anomalies are kept
   * @return the store
   */
  protected abstract AnomalyStore newStore(Duration retention);

  /**
   * Returns another handle on the data of {@code store}, as a second instance, or the same
   * process after a restart, would open it. The default hands back the same object, which is
   * right for a store whose data lives in the object.
   *
   * @param store a store from {@link #newStore}
   * @return a handle on the same data
   */
  protected AnomalyStore reopen(AnomalyStore store) {
    return store;
  }

  private AnomalyStore store() {
    return newStore(Duration.ofDays(30));
  }

  private static Anomaly anomaly(String tenant, String id, String subject, AnomalyStatus status,
      Instant detectedAt) {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("count", 42L);
    metrics.put("rate", 0.25);
    metrics.put("small", 7);
    metrics.put("windowStart", detectedAt.minusSeconds(300).plusNanos(123_456_789));
    metrics.put("window", Duration.ofMinutes(5));
    metrics.put("exact", new BigDecimal("1.50"));
    metrics.put("flag", true);
    metrics.put("nested", Map.of("a", List.of(1L, "two", 3.5)));
    List<HistoryEntry> history = new ArrayList<>();
    history.add(new HistoryEntry(null, OPEN, detectedAt, "opened", Origin.DETECTOR, Map.of()));
    if (status != OPEN) {
      history.add(new HistoryEntry(OPEN, status, detectedAt.plusSeconds(1), null, Origin.USER,
          Map.of("why", "test")));
    }
    return new Anomaly(id, tenant, ScriptedDetector.TYPE, subject, subject, null, null, null,
        null, detectedAt, detectedAt.plusNanos(1_500), 1, status, Severity.HIGH, "summary",
        metrics, List.of("act"), history);
  }

  private static Anomaly absorbed(Anomaly a) {
    return new Anomaly(a.id(), a.tenant(), a.type(), a.subject(), a.service(), a.identifier(),
        a.policyModule(), a.policyFunction(), a.versionId(), a.detectedAt(),
        a.lastSeenAt().plusSeconds(1), a.occurrences() + 1, a.status(),
        a.severity().max(Severity.CRITICAL), "again", a.metrics(), a.recommendedActions(),
        a.history());
  }

  private static Anomaly moved(Anomaly a, AnomalyStatus to) {
    List<HistoryEntry> history = new ArrayList<>(a.history());
    history.add(new HistoryEntry(a.status(), to, a.lastSeenAt().plusSeconds(2), "moved",
        Origin.USER, Map.of()));
    return new Anomaly(a.id(), a.tenant(), a.type(), a.subject(), a.service(), a.identifier(),
        a.policyModule(), a.policyFunction(), a.versionId(), a.detectedAt(), a.lastSeenAt(),
        a.occurrences(), to, a.severity(), a.summary(), a.metrics(), a.recommendedActions(),
        history);
  }

  // ---- the repository -------------------------------------------------------------------

  @Test
  void anAnomalyReadsBackEqualWithEveryEvidenceTypeAndOnlyInItsTenant() {
    try (AnomalyStore s = store()) {
      Anomaly a = anomaly("acme", "anom-1", "billing", OPEN, T0);
      s.repository().insert(a);
      assertThat(s.repository().find("acme", "anom-1")).contains(a);
      assertThat(s.repository().find("globex", "anom-1")).isEmpty();
      assertThat(s.repository().find("acme", "anom-2")).isEmpty();
    }
  }

  @Test
  void insertingAnIdTwiceIsRefused() {
    try (AnomalyStore s = store()) {
      s.repository().insert(anomaly("acme", "anom-1", "billing", RESOLVED, T0));
      assertThatThrownBy(() -> s.repository().insert(
          anomaly("acme", "anom-1", "payroll", RESOLVED, T0)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anom-1");
    }
  }

  @Test
  void replaceIsACompareAndSetOnTheWholeSnapshot() {
    try (AnomalyStore s = store()) {
      AnomalyRepository r = s.repository();
      Anomaly a = anomaly("acme", "anom-1", "billing", OPEN, T0);
      r.insert(a);
      Anomaly b = absorbed(a);
      assertThat(r.replace(a, b)).isTrue();
      assertThat(r.replace(a, moved(a, RESOLVED))).as("stale snapshot").isFalse();
      Anomaly c = moved(b, RESOLVED);
      assertThat(r.replace(b, c)).isTrue();
      assertThat(r.find("acme", "anom-1")).contains(c);
      assertThat(r.replace(anomaly("acme", "anom-9", "x", OPEN, T0),
          anomaly("acme", "anom-9", "x", OPEN, T0))).as("missing").isFalse();
    }
  }

  @Test
  void oneActiveAnomalyPerTenantTypeAndSubject() {
    try (AnomalyStore s = store()) {
      AnomalyRepository r = s.repository();
      Anomaly first = anomaly("acme", "anom-1", "billing", OPEN, T0);
      r.insert(first);
      assertThatThrownBy(() -> r.insert(anomaly("acme", "anom-2", "billing", OPEN, T0)))
          .isInstanceOf(ActiveAnomalyExistsException.class);
      r.insert(anomaly("acme", "anom-3", "billing", RESOLVED, T0)); // closed ones are fine
      r.insert(anomaly("globex", "anom-4", "billing", OPEN, T0)); // another tenant
      Anomaly closed = r.find("acme", "anom-3").orElseThrow();
      assertThatThrownBy(() -> r.replace(closed, moved(closed, OPEN)))
          .as("reopening while another is active").isInstanceOf(
              ActiveAnomalyExistsException.class);
      assertThat(r.findActive("acme", ScriptedDetector.TYPE, "billing")).contains(first);
      assertThat(r.findActive("acme", ScriptedDetector.TYPE, "payroll")).isEmpty();
      assertThat(r.findActive("acme", "OTHER_TYPE", "billing")).isEmpty();
      assertThat(r.replace(first, moved(first, DISMISSED))).isTrue();
      assertThat(r.replace(closed, moved(closed, OPEN))).as("now it may reopen").isTrue();
      assertThat(r.findActive("acme", ScriptedDetector.TYPE, "billing").orElseThrow().id())
          .isEqualTo("anom-3");
    }
  }

  @Test
  void listsAndPagesNewestFirstByTypeAndDetectionTime() {
    try (AnomalyStore s = store()) {
      AnomalyRepository r = s.repository();
      for (int i = 0; i < 7; i++) {
        r.insert(anomaly("acme", "anom-" + i, "svc-" + i, RESOLVED, T0.plusSeconds(i * 60L)));
      }
      Anomaly other = new Anomaly("anom-x", "acme", "BRUTE_FORCE", "ip", null, "ip", null, null,
          null, T0.plusSeconds(30), null, 1, OPEN, Severity.LOW, "s", Map.of(), List.of(),
          List.of());
      r.insert(other);
      r.insert(anomaly("globex", "anom-g", "svc", OPEN, T0));
      assertThat(r.list("acme", null, T0).stream().map(Anomaly::id)).containsExactly(
          "anom-6", "anom-5", "anom-4", "anom-3", "anom-2", "anom-1", "anom-x", "anom-0");
      assertThat(r.list("acme", "BRUTE_FORCE", T0)).containsExactly(other);
      assertThat(r.list("acme", ScriptedDetector.TYPE, T0.plusSeconds(250)).stream()
          .map(Anomaly::id)).containsExactly("anom-6", "anom-5");
      AnomalyPage<Anomaly> page = r.page("acme", ScriptedDetector.TYPE, T0, 1, 3);
      assertThat(page.content().stream().map(Anomaly::id))
          .containsExactly("anom-3", "anom-2", "anom-1");
      assertThat(page.totalElements()).isEqualTo(7);
      assertThat(page.totalPages()).isEqualTo(3);
      assertThat(r.page("acme", null, T0, 5, 3).content()).isEmpty();
      assertThat(r.page("acme", null, T0, 5, 3).totalElements()).isEqualTo(8);
      assertThat(r.list("nobody", null, T0)).isEmpty();
    }
  }

  @Test
  void retentionRemovesOnlyClosedAnomaliesIdleLongerThanIt() {
    try (AnomalyStore s = newStore(Duration.ofDays(1))) {
      AnomalyRepository r = s.repository();
      r.insert(anomaly("acme", "old-closed", "a", RESOLVED, T0));
      r.insert(anomaly("acme", "old-open", "b", OPEN, T0));
      r.insert(anomaly("acme", "new-closed", "c", DISMISSED, T0.plus(Duration.ofDays(2))));
      r.expire(T0.plus(Duration.ofDays(2)).plusSeconds(10));
      assertThat(r.list("acme", null, Instant.EPOCH).stream().map(Anomaly::id))
          .containsExactlyInAnyOrder("old-open", "new-closed");
    }
  }

  // ---- Idempotency-Key claims --------------------------------------------------------------

  @Test
  void aKeyIsClaimedOnceThenReplayedAndRefusedForAnotherRequest() {
    try (AnomalyStore s = store()) {
      IdempotencyStore k = s.idempotency();
      Instant lease = T0.plusSeconds(60);
      assertThat(k.claim("acme", "key", "f1", "owner-1", T0, lease))
          .isInstanceOf(Claim.Acquired.class);
      assertThat(k.claim("acme", "key", "f1", "owner-2", T0, lease))
          .isInstanceOf(Claim.InFlight.class);
      assertThat(k.claim("acme", "key", "f2", "owner-2", T0, lease))
          .isInstanceOf(Claim.Reused.class);
      assertThat(k.claim("globex", "key", "f2", "owner-3", T0, lease))
          .as("keys are scoped to the tenant").isInstanceOf(Claim.Acquired.class);
      Anomaly result = anomaly("acme", "anom-1", "billing", RESOLVED, T0);
      k.complete("acme", "key", "owner-2", new Outcome(result, null), T0, T0.plusSeconds(5));
      assertThat(k.claim("acme", "key", "f1", "owner-4", T0, lease))
          .as("only the owner completes").isInstanceOf(Claim.InFlight.class);
      k.complete("acme", "key", "owner-1", new Outcome(result, null), T0, T0.plusSeconds(5));
      assertThat(k.claim("acme", "key", "f1", "owner-5", T0.plusSeconds(4), lease))
          .isEqualTo(new Claim.Replay(new Outcome(result, null)));
      assertThat(k.claim("acme", "key", "f2", "owner-5", T0.plusSeconds(4), lease))
          .isInstanceOf(Claim.Reused.class);
      assertThat(k.claim("acme", "key", "f2", "owner-6", T0.plusSeconds(5), lease))
          .as("after expiry the key is new").isInstanceOf(Claim.Acquired.class);
    }
  }

  @Test
  void aStoredClientErrorIsReplayedWithItsStatusAndMessage() {
    try (AnomalyStore s = store()) {
      IdempotencyStore k = s.idempotency();
      TriageException error = new IllegalTransitionException("anom-1", RESOLVED, DISMISSED);
      assertThat(k.claim("acme", "key", "f", "o1", T0, T0.plusSeconds(60)))
          .isInstanceOf(Claim.Acquired.class);
      k.complete("acme", "key", "o1", new Outcome(null, error), T0, T0.plusSeconds(60));
      Claim replay = k.claim("acme", "key", "f", "o2", T0, T0.plusSeconds(60));
      assertThat(replay).isInstanceOf(Claim.Replay.class);
      TriageException again = ((Claim.Replay) replay).outcome().error();
      assertThat(again).isInstanceOf(IllegalTransitionException.class)
          .hasMessage(error.getMessage());
      assertThat(again.httpStatus()).isEqualTo(409);
    }
  }

  @Test
  void aReleasedKeyRunsAgainAndAnAbandonedClaimIsTakenOverAfterItsLease() {
    try (AnomalyStore s = store()) {
      IdempotencyStore k = s.idempotency();
      k.claim("acme", "key", "f", "o1", T0, T0.plusSeconds(60));
      k.release("acme", "key", "o1");
      assertThat(k.claim("acme", "key", "f", "o2", T0, T0.plusSeconds(60)))
          .isInstanceOf(Claim.Acquired.class);
      // o2 dies holding the key: in flight until its lease runs out, then taken over
      assertThat(k.claim("acme", "key", "f", "o3", T0.plusSeconds(59), T0.plusSeconds(119)))
          .isInstanceOf(Claim.InFlight.class);
      assertThat(k.claim("acme", "key", "other", "o3", T0.plusSeconds(60), T0.plusSeconds(120)))
          .isInstanceOf(Claim.Reused.class);
      assertThat(k.claim("acme", "key", "f", "o3", T0.plusSeconds(60), T0.plusSeconds(120)))
          .isInstanceOf(Claim.Acquired.class);
      Anomaly result = anomaly("acme", "anom-1", "billing", RESOLVED, T0);
      k.complete("acme", "key", "o2", new Outcome(result, null), T0.plusSeconds(61),
          T0.plusSeconds(1000));
      k.release("acme", "key", "o2");
      assertThat(k.claim("acme", "key", "f", "o4", T0.plusSeconds(62), T0.plusSeconds(122)))
          .as("the late owner changed nothing").isInstanceOf(Claim.InFlight.class);
      k.complete("acme", "key", "o3", new Outcome(result, null), T0.plusSeconds(62),
          T0.plusSeconds(1000));
      k.expire(T0.plusSeconds(999));
      assertThat(k.claim("acme", "key", "f", "o5", T0.plusSeconds(999), T0.plusSeconds(1059)))
          .isInstanceOf(Claim.Replay.class);
      k.expire(T0.plusSeconds(1000));
      assertThat(k.claim("acme", "key", "g", "o5", T0.plusSeconds(1000), T0.plusSeconds(1060)))
          .isInstanceOf(Claim.Acquired.class);
    }
  }

  // ---- suppressions ------------------------------------------------------------------------

  @Test
  void suppressionsAreSavedReplacedRemovedAndExpired() {
    try (AnomalyStore s = store()) {
      SuppressionStore sup = s.suppressions();
      Suppression cooldown = new Suppression("acme", "T", "a", T0.plusSeconds(300), null);
      Suppression dismissal = new Suppression("acme", "T", "b", T0.plusSeconds(900),
          Severity.MEDIUM);
      sup.save(cooldown);
      sup.save(dismissal);
      assertThat(sup.find("acme", "T", "a")).contains(cooldown);
      assertThat(sup.find("acme", "T", "b")).contains(dismissal);
      assertThat(sup.find("globex", "T", "a")).isEmpty();
      assertThat(dismissal.blocks(Severity.MEDIUM, T0)).isTrue();
      assertThat(dismissal.blocks(Severity.HIGH, T0)).isFalse();
      Suppression longer = new Suppression("acme", "T", "a", T0.plusSeconds(600), Severity.LOW);
      sup.save(longer);
      assertThat(sup.find("acme", "T", "a")).contains(longer);
      sup.expire(T0.plusSeconds(600));
      assertThat(sup.find("acme", "T", "a")).isEmpty();
      assertThat(sup.find("acme", "T", "b")).contains(dismissal);
      sup.remove("acme", "T", "b");
      assertThat(sup.find("acme", "T", "b")).isEmpty();
    }
  }

  // ---- engines over the store --------------------------------------------------------------

  @Test
  void aRestartKeepsStatusesHistoryIdempotencyOutcomesAndCooldowns() {
    AnomalyStore first = store();
    ManualClock clock = new ManualClock(T0);
    Anomaly resolved;
    Anomaly dismissed;
    Anomaly open;
    try (TriageFixture f = TriageFixture.builder().store(first).clock(clock).build()) {
      Anomaly a = f.open("acme", "billing");
      resolved = f.triage().updateStatus("acme", a.id(),
          new StatusUpdateRequest(RESOLVED, "fixed"), "key-1");
      Anomaly b = f.open("acme", "payroll", Severity.HIGH);
      dismissed = f.triage().updateStatus("acme", b.id(),
          new StatusUpdateRequest(DISMISSED, "noise"), null);
      open = f.open("acme", "search");
    }
    clock.advance(Duration.ofMinutes(1));
    try (AnomalyStore second = reopen(first);
        TriageFixture f = TriageFixture.builder().store(second).clock(clock).build()) {
      assertThat(f.triage().get("acme", resolved.id())).isEqualTo(resolved);
      assertThat(f.triage().get("acme", dismissed.id()).history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, DISMISSED);
      // the retry of the same request is answered from the stored outcome
      assertThat(f.triage().updateStatus("acme", resolved.id(),
          new StatusUpdateRequest(RESOLVED, "fixed"), "key-1")).isEqualTo(resolved);
      assertThatThrownBy(() -> f.triage().updateStatus("acme", resolved.id(),
          new StatusUpdateRequest(DISMISSED, null), "key-1"))
          .isInstanceOf(IdempotencyKeyReusedException.class);
      // the cooldown and the dismissal still hold; the open one absorbs the finding
      f.report(ScriptedDetector.finding("acme", "billing").build());
      f.report(ScriptedDetector.finding("acme", "payroll").severity(Severity.HIGH).build());
      f.report(ScriptedDetector.finding("acme", "search").build());
      assertThat(f.all("acme")).hasSize(3);
      assertThat(f.triage().get("acme", open.id()).occurrences()).isEqualTo(2);
      assertThat(f.engine().health().findingsSuppressed()).isEqualTo(2);
      clock.advance(AnomalySettings.COOLDOWN.defaultValue());
      f.report(ScriptedDetector.finding("acme", "billing").build());
      assertThat(f.all("acme")).hasSize(4);
    }
    first.close();
  }

  @Test
  void anAnomalyLeftVerifyingByAStoppedEngineReturnsToOpenAfterTheTimeout() {
    AnomalyStore store = store();
    ManualClock clock = new ManualClock(T0);
    ManualExecutor jobs = new ManualExecutor();
    Anomaly a;
    // the first engine starts a verification and is never closed, as if its process died
    TriageFixture crashed = TriageFixture.builder().store(store).clock(clock).executor(jobs)
        .build();
    a = crashed.open("acme", "billing");
    crashed.triage().verify("acme", a.id());
    try (AnomalyStore other = reopen(store);
        TriageFixture f = TriageFixture.builder().store(other).clock(clock).build()) {
      assertThat(f.triage().get("acme", a.id()).status()).isEqualTo(VERIFYING);
      clock.advance(AnomalySettings.VERIFY_TIMEOUT.defaultValue());
      Anomaly repaired = f.triage().get("acme", a.id());
      assertThat(repaired.status()).isEqualTo(OPEN);
      assertThat(repaired.history()).extracting(HistoryEntry::to)
          .containsExactly(OPEN, VERIFYING, OPEN);
    }
    store.close();
  }

  @Test
  @Timeout(120)
  void twoEnginesRacingOnOneStoreHaveOneWinnerPerChangeAndOneActiveAnomalyPerKey()
      throws Exception {
    AnomalyStore storeA = store();
    AnomalyStore storeB = reopen(storeA);
    ManualClock clock = new ManualClock(T0);
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set(AnomalySettings.COOLDOWN, Duration.ZERO).build();
    int keys = 12;
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (TriageFixture a = TriageFixture.builder().store(storeA).clock(clock).config(config)
            .build();
        TriageFixture b = TriageFixture.builder().store(storeB).clock(clock).config(config)
            .build()) {
      // findings for the same keys from both engines at once: one anomaly per key
      int findingsPerEngine = 20;
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (TriageFixture f : List.of(a, b)) {
        done.add(pool.submit(() -> {
          go.await();
          for (int i = 0; i < findingsPerEngine; i++) {
            for (int k = 0; k < keys; k++) {
              f.detector().fire(ScriptedDetector.finding("acme", "svc-" + k).build());
            }
            f.engine().tick();
          }
          return null;
        }));
      }
      go.countDown();
      for (Future<?> d : done) {
        d.get(60, TimeUnit.SECONDS);
      }
      a.engine().tick();
      b.engine().tick();
      List<Anomaly> all = a.all("acme");
      assertThat(all).hasSize(keys);
      assertThat(all).allSatisfy(x -> assertThat(x.occurrences())
          .isEqualTo(2L * findingsPerEngine));

      // every thread tries to close every anomaly: one winner each, the rest 409
      for (AnomalyStatus target : List.of(RESOLVED, OPEN)) {
        ConcurrentLinkedQueue<Anomaly> wins = new ConcurrentLinkedQueue<>();
        AtomicInteger conflicts = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          TriageFixture f = t % 2 == 0 ? a : b;
          AnomalyStatus to = target == OPEN ? OPEN : (t % 3 == 0 ? DISMISSED : RESOLVED);
          String note = "thread-" + t;
          racers.add(pool.submit(() -> {
            start.await();
            for (Anomaly x : all) {
              try {
                wins.add(f.triage().updateStatus("acme", x.id(),
                    new StatusUpdateRequest(to, note), null));
              } catch (IllegalTransitionException lost) {
                assertThat(lost.getMessage()).containsAnyOf("RESOLVED", "DISMISSED", "OPEN");
                conflicts.incrementAndGet();
              }
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> r : racers) {
          r.get(60, TimeUnit.SECONDS);
        }
        assertThat(wins).hasSize(keys);
        assertThat(conflicts.get()).isEqualTo(keys * (threads - 1));
        for (Anomaly win : wins) {
          Anomaly stored = a.triage().get("acme", win.id());
          HistoryEntry last = win.history().get(win.history().size() - 1);
          assertThat(stored.history()).filteredOn(h -> h.equals(last)).hasSize(1);
        }
      }
      List<Anomaly> after = b.all("acme");
      assertThat(after).hasSize(keys).allSatisfy(x -> {
        assertThat(x.status()).isEqualTo(OPEN);
        assertThat(x.history()).hasSize(3);
      });
    } finally {
      pool.shutdownNow();
      storeB.close();
      storeA.close();
    }
  }

  @Test
  @Timeout(60)
  void anIdempotencyKeyIsHonouredAcrossEngines() {
    AnomalyStore storeA = store();
    AnomalyStore storeB = reopen(storeA);
    ManualClock clock = new ManualClock(T0);
    try (TriageFixture a = TriageFixture.builder().store(storeA).clock(clock).build();
        TriageFixture b = TriageFixture.builder().store(storeB).clock(clock).build()) {
      Anomaly x = a.open("acme", "billing");
      StatusUpdateRequest resolve = new StatusUpdateRequest(RESOLVED, "done");
      // while engine A runs the request, engine B's retry is in flight
      Anomaly[] inner = new Anomaly[1];
      Anomaly first = a.engine().anomalies().updateStatus("acme", x.id(), resolve, "key-1");
      assertThat(b.triage().updateStatus("acme", x.id(), resolve, "key-1")).isEqualTo(first);
      assertThatThrownBy(() -> b.triage().updateStatus("acme", x.id(),
          new StatusUpdateRequest(DISMISSED, null), "key-1"))
          .isInstanceOf(IdempotencyKeyReusedException.class);
      IdempotencyStore shared = storeB.idempotency();
      assertThat(shared.claim("acme", "key-2", "f", "dead-engine", clock.instant(),
          clock.instant().plus(AnomalySettings.IDEMPOTENCY_LEASE.defaultValue())))
          .isInstanceOf(Claim.Acquired.class);
      Anomaly y = a.open("acme", "payroll");
      String fp = io.batanomaly.internal.IdempotencyKeys.fingerprint(y.id(), RESOLVED, "done");
      // a claim by an engine that died: 409 until the lease passes, then the retry runs
      shared.release("acme", "key-2", "dead-engine");
      assertThat(shared.claim("acme", "key-2", fp, "dead-engine", clock.instant(),
          clock.instant().plus(AnomalySettings.IDEMPOTENCY_LEASE.defaultValue())))
          .isInstanceOf(Claim.Acquired.class);
      assertThatThrownBy(() -> a.triage().updateStatus("acme", y.id(), resolve, "key-2"))
          .isInstanceOf(IdempotencyKeyInFlightException.class);
      clock.advance(AnomalySettings.IDEMPOTENCY_LEASE.defaultValue());
      inner[0] = b.triage().updateStatus("acme", y.id(), resolve, "key-2");
      assertThat(inner[0].status()).isEqualTo(RESOLVED);
      assertThat(a.triage().updateStatus("acme", y.id(), resolve, "key-2")).isEqualTo(inner[0]);
    } finally {
      storeB.close();
      storeA.close();
    }
  }
}
