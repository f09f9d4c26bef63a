package io.batanomaly.reliability;

import static io.batanomaly.reliability.TestEngines.T0;
import static io.batanomaly.reliability.TestEngines.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.IngestResult;
import io.batanomaly.RejectReason;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Floods of tenants and services: the configured budgets hold, even when many threads create
 * scopes at once; what is refused is rejected with a reason and counted; idle scopes make room.
 */
@Timeout(60)
class ScopeCardinalityTest {
  private static final int MAX_TENANTS = 50;
  private static final int MAX_SERVICES = 40;

  private final ManualClock clock = new ManualClock(T0);
  private final AnomalyEngine engine = TestEngines.engine(clock, AnomalyConfig.defaults()
      .toBuilder()
      .set("ANOMALY_MAX_TENANTS", String.valueOf(MAX_TENANTS))
      .set("ANOMALY_MAX_SERVICES_PER_TENANT", String.valueOf(MAX_SERVICES))
      .build(), Runnable::run, List.of());

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aFloodOfTenantsIsCappedAtTheBudgetAndTheRestIsRejectedAndCounted() {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      batch.add(event("tenant-" + i, "billing", T0));
    }
    IngestResult r = engine.ingest(batch);

    assertThat(r.accepted()).isEqualTo(MAX_TENANTS);
    assertThat(r.rejected()).hasSize(100_000 - MAX_TENANTS)
        .allSatisfy(x -> {
          assertThat(x.reason()).isEqualTo(RejectReason.TENANT_LIMIT);
          assertThat(x.message()).contains("ANOMALY_MAX_TENANTS");
        });
    EngineHealth h = engine.health();
    assertThat(h.tenantsTracked()).isEqualTo(MAX_TENANTS);
    assertThat(h.eventsRejected()).containsEntry(RejectReason.TENANT_LIMIT,
        (long) 100_000 - MAX_TENANTS);
    // known tenants keep working while the budget is full
    assertThat(engine.ingest(List.of(event("tenant-0", "billing", T0))).accepted()).isEqualTo(1);
  }

  @Test
  void aFloodOfServicesIsCappedPerTenantAndOtherTenantsAreUnaffected() {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      batch.add(event("acme", "svc-" + i, T0));
    }
    IngestResult r = engine.ingest(batch);
    IngestResult other = engine.ingest(List.of(event("globex", "billing", T0)));

    assertThat(r.accepted()).isEqualTo(MAX_SERVICES);
    assertThat(r.rejected()).allSatisfy(x -> {
      assertThat(x.reason()).isEqualTo(RejectReason.SERVICE_LIMIT);
      assertThat(x.message()).contains("ANOMALY_MAX_SERVICES_PER_TENANT");
    });
    assertThat(other.accepted()).isEqualTo(1);
    assertThat(engine.health().servicesTracked()).isEqualTo(MAX_SERVICES + 1);
  }

  @Test
  void idleTenantsAndServicesMakeRoomAfterADayAndTheEvictionsAreCounted() {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < MAX_SERVICES; i++) {
      batch.add(event("acme", "svc-" + i, T0));
    }
    for (int i = 1; i < MAX_TENANTS; i++) {
      batch.add(event("tenant-" + i, "billing", T0));
    }
    assertThat(engine.ingest(batch).accepted()).isEqualTo(MAX_SERVICES + MAX_TENANTS - 1);

    clock.advance(Duration.ofHours(25));
    java.time.Instant later = clock.instant();
    // acme stays active with one old service; the other tenants have been idle a day
    IngestResult r = engine.ingest(List.of(event("acme", "svc-0", later),
        event("acme", "svc-new", later), event("newcomer", "billing", later)));

    assertThat(r.accepted()).isEqualTo(3);
    EngineHealth h = engine.health();
    assertThat(h.tenantsTracked()).isEqualTo(2);
    assertThat(h.servicesTracked()).isEqualTo(3);
    assertThat(h.scopesEvicted()).isEqualTo((MAX_TENANTS - 1) + (MAX_SERVICES - 1));
  }

  @Test
  void theTenantBudgetHoldsWhenManyThreadsCreateTenantsAtOnce() throws Exception {
    // Regression: the budget was checked before the new tenant was counted, so threads
    // creating tenants at the same moment could all pass the check and exceed it.
    for (int round = 0; round < 200; round++) {
      try (AnomalyEngine e = TestEngines.engine(clock, AnomalyConfig.defaults().toBuilder()
          .set("ANOMALY_MAX_TENANTS", "4").set("ANOMALY_MAX_SERVICES_PER_TENANT", "4").build(),
          Runnable::run, List.of())) {
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
          List<Future<Integer>> accepted = new ArrayList<>();
          for (int t = 0; t < threads; t++) {
            int me = t;
            accepted.add(pool.submit((Callable<Integer>) () -> {
              List<AuditEvent> batch = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                batch.add(event("t-" + me + "-" + i, "billing", T0));
                batch.add(event("shared", "s-" + me + "-" + i, T0));
              }
              start.await();
              int n = 0;
              for (AuditEvent ev : batch) {
                n += e.ingest(List.of(ev)).accepted();
              }
              return n;
            }));
          }
          long total = 0;
          for (Future<Integer> f : accepted) {
            total += f.get();
          }
          EngineHealth h = e.health();
          assertThat(h.tenantsTracked()).isLessThanOrEqualTo(4);
          assertThat(h.servicesTracked()).isLessThanOrEqualTo(4L * h.tenantsTracked());
          assertThat(h.eventsAccepted() + h.eventsRejectedTotal()).isEqualTo(threads * 100L);
          assertThat(h.eventsAccepted()).isEqualTo(total);
        } finally {
          pool.shutdownNow();
        }
      }
    }
  }
}
