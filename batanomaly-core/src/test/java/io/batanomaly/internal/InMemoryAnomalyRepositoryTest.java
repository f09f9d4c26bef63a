package io.batanomaly.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyPage;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.Origin;
import io.batanomaly.api.Severity;
import io.batanomaly.spi.AnomalyRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InMemoryAnomalyRepositoryTest {

  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private static Anomaly anomaly(String tenant, String id, Instant detectedAt,
      AnomalyStatus status) {
    List<HistoryEntry> history = new ArrayList<>();
    history.add(new HistoryEntry(null, AnomalyStatus.OPEN, detectedAt, null, Origin.DETECTOR,
        null));
    if (status != AnomalyStatus.OPEN) {
      history.add(new HistoryEntry(AnomalyStatus.OPEN, status, detectedAt, null, Origin.USER,
          null));
    }
    return new Anomaly(id, tenant, "VOLUME_SPIKE", "svc-" + id, "svc-" + id, null, null, null,
        null, detectedAt, detectedAt, 1, status, Severity.MEDIUM, "spike", Map.of(), List.of(),
        history);
  }

  private static Anomaly closeAt(Anomaly a, AnomalyStatus to, Instant at) {
    List<HistoryEntry> history = new ArrayList<>(a.history());
    history.add(new HistoryEntry(a.status(), to, at, null, Origin.USER, null));
    return new Anomaly(a.id(), a.tenant(), a.type(), a.subject(), a.service(), a.identifier(),
        a.policyModule(), a.policyFunction(), a.versionId(), a.detectedAt(), a.lastSeenAt(),
        a.occurrences(), to, a.severity(), a.summary(), a.metrics(), a.recommendedActions(),
        history);
  }

  @Test
  void keepsATenantWithinItsBoundByRemovingTheOldestClosedAnomalyFirst() {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(3, Duration.ofDays(30));
    repo.insert(anomaly("acme", "a1", T0, AnomalyStatus.OPEN));
    repo.insert(anomaly("acme", "a2", T0.plusSeconds(1), AnomalyStatus.RESOLVED));
    repo.insert(anomaly("acme", "a3", T0.plusSeconds(2), AnomalyStatus.DISMISSED));
    repo.insert(anomaly("acme", "a4", T0.plusSeconds(3), AnomalyStatus.OPEN));
    assertThat(repo.size("acme")).isEqualTo(3);
    assertThat(repo.find("acme", "a2")).isEmpty();
    assertThat(repo.find("acme", "a1")).isPresent();

    repo.insert(anomaly("acme", "a5", T0.plusSeconds(4), AnomalyStatus.OPEN));
    assertThat(repo.find("acme", "a3")).isEmpty();
    // all active now: the one detected first goes
    repo.insert(anomaly("acme", "a6", T0.plusSeconds(5), AnomalyStatus.OPEN));
    assertThat(repo.list("acme", null, Instant.EPOCH)).extracting(Anomaly::id)
        .containsExactly("a6", "a5", "a4");
    assertThat(repo.evicted()).isEqualTo(3);
    assertThat(repo.expired()).isZero();
  }

  @Test
  void pushingFarPastTheBoundNeverHoldsMoreThanItAndCountsEveryRemoval() {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(50, Duration.ofDays(30));
    for (int i = 0; i < 10_000; i++) {
      repo.insert(anomaly("acme", "a" + i, T0.plusMillis(i),
          i % 2 == 0 ? AnomalyStatus.OPEN : AnomalyStatus.RESOLVED));
      assertThat(repo.size("acme")).isLessThanOrEqualTo(50);
    }
    assertThat(repo.evicted()).isEqualTo(10_000 - 50);
    assertThat(repo.find("acme", "a9999")).isPresent();
  }

  @Test
  void eachTenantHasItsOwnBound() {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(2, Duration.ofDays(30));
    for (int i = 0; i < 5; i++) {
      repo.insert(anomaly("acme", "a" + i, T0.plusSeconds(i), AnomalyStatus.OPEN));
    }
    repo.insert(anomaly("globex", "g0", T0, AnomalyStatus.OPEN));
    assertThat(repo.size("acme")).isEqualTo(2);
    assertThat(repo.size("globex")).isEqualTo(1);
  }

  @Test
  void removesClosedAnomaliesPastRetentionCountedFromTheirLastActivity() {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(100, Duration.ofDays(30));
    Anomaly old = anomaly("acme", "old", T0, AnomalyStatus.OPEN);
    Anomaly stillOpen = anomaly("acme", "open", T0, AnomalyStatus.OPEN);
    Anomaly closedEarly = anomaly("acme", "early", T0, AnomalyStatus.RESOLVED);
    repo.insert(old);
    repo.insert(stillOpen);
    repo.insert(closedEarly);
    // "old" lived long and was closed 20 days after detection
    assertThat(repo.replace(old, closeAt(old, AnomalyStatus.DISMISSED, T0.plus(
        Duration.ofDays(20))))).isTrue();

    repo.expire(T0.plus(Duration.ofDays(30)));
    assertThat(repo.find("acme", "early")).isPresent();
    repo.expire(T0.plus(Duration.ofDays(30)).plusMillis(1));
    assertThat(repo.find("acme", "early")).isEmpty();
    assertThat(repo.find("acme", "old")).isPresent();
    assertThat(repo.find("acme", "open")).isPresent();

    repo.expire(T0.plus(Duration.ofDays(50)).plusMillis(1));
    assertThat(repo.find("acme", "old")).isEmpty();
    repo.expire(T0.plus(Duration.ofDays(5000)));
    assertThat(repo.find("acme", "open")).as("active anomalies never expire").isPresent();
    assertThat(repo.expired()).isEqualTo(2);
  }

  @Test
  void replaceIsACompareAndSetOnTheWholeSnapshot() {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(10, Duration.ofDays(30));
    Anomaly a = anomaly("acme", "a", T0, AnomalyStatus.OPEN);
    repo.insert(a);
    Anomaly resolved = closeAt(a, AnomalyStatus.RESOLVED, T0.plusSeconds(5));
    assertThat(repo.replace(a, resolved)).isTrue();
    assertThat(repo.replace(a, closeAt(a, AnomalyStatus.DISMISSED, T0))).isFalse();
    assertThat(repo.find("acme", "a")).contains(resolved);
    assertThat(AnomalyRepository.version(resolved)).isEqualTo(AnomalyRepository.version(a) + 1);
    Anomaly missing = anomaly("acme", "missing", T0, AnomalyStatus.OPEN);
    assertThat(repo.replace(missing, closeAt(missing, AnomalyStatus.RESOLVED, T0))).isFalse();
    assertThat(repo.find("acme", "missing")).isEmpty();
    assertThatThrownBy(() -> repo.replace(a, anomaly("globex", "a", T0, AnomalyStatus.OPEN)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesAnIdStoredBefore() {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(10, Duration.ofDays(30));
    repo.insert(anomaly("acme", "a", T0, AnomalyStatus.OPEN));
    assertThatThrownBy(() -> repo.insert(anomaly("acme", "a", T0, AnomalyStatus.OPEN)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
  }

  @Test
  void findsOnlyWithinTheTenantAndListsNewestFirstWithAStableOrderForTies() {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(10, Duration.ofDays(30));
    repo.insert(anomaly("acme", "b", T0, AnomalyStatus.OPEN));
    repo.insert(anomaly("acme", "a", T0, AnomalyStatus.OPEN));
    repo.insert(anomaly("acme", "c", T0.plusSeconds(1), AnomalyStatus.OPEN));
    assertThat(repo.find("globex", "a")).isEmpty();
    assertThat(repo.find(null, "a")).isEmpty();
    assertThat(repo.list("acme", null, Instant.EPOCH)).extracting(Anomaly::id)
        .containsExactly("c", "a", "b");
    assertThat(repo.list("acme", null, T0.plusSeconds(1))).extracting(Anomaly::id)
        .containsExactly("c");
    assertThat(repo.list("acme", "MASS_DELETE", Instant.EPOCH)).isEmpty();
    AnomalyPage<Anomaly> page = repo.page("acme", null, Instant.EPOCH, 1, 2);
    assertThat(page.content()).extracting(Anomaly::id).containsExactly("b");
    assertThat(page.totalElements()).isEqualTo(3);
    assertThat(repo.findActive("acme", "VOLUME_SPIKE", "svc-a")).map(Anomaly::id).contains("a");
    assertThat(repo.findActive("globex", "VOLUME_SPIKE", "svc-a")).isEmpty();
  }

  @Test
  void validatesItsLimits() {
    assertThatThrownBy(() -> new InMemoryAnomalyRepository(0, Duration.ofDays(1)))
        .hasMessage("maxPerTenant must be 1 or more, but was 0");
    assertThatThrownBy(() -> new InMemoryAnomalyRepository(1, Duration.ofDays(-1)))
        .hasMessageContaining("retention must not be negative");
  }

  @Test
  @Timeout(60)
  void concurrentInsertsNeverExceedTheBoundAndEveryRemovalIsCounted() throws Exception {
    InMemoryAnomalyRepository repo = new InMemoryAnomalyRepository(100, Duration.ofDays(30));
    int threads = 4;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            repo.insert(anomaly("acme", thread + "-" + i, T0.plusMillis(i),
                AnomalyStatus.OPEN));
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> d : done) {
        d.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(repo.size("acme")).isEqualTo(100);
    assertThat(repo.evicted()).isEqualTo(threads * perThread - 100);
  }
}
