package io.batanomaly.reliability;

import static io.batanomaly.reliability.TestEngines.T0;
import static io.batanomaly.reliability.TestEngines.trigger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyNotFoundException;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.IdempotencyKeyInFlightException;
import io.batanomaly.api.InvalidRequestException;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageException;
import io.batanomaly.testkit.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Idempotency-Keys abused: one key hammered from many threads, the same key used by other
 * tenants at the same time, and oversized or malformed keys. A change is applied exactly once
 * per tenant and key, tenants never see each other's outcomes, and a bad key is a short 400.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class IdempotencyAbuseTest {
  private static final StatusUpdateRequest RESOLVE =
      new StatusUpdateRequest(AnomalyStatus.RESOLVED, "handled");
  private static final int THREADS = 16;

  private final ManualClock clock = new ManualClock(T0);
  private final AnomalyEngine engine = TestEngines.engine(clock, AnomalyConfig.defaults()
      .toBuilder().set("ANOMALY_IDEMPOTENCY_MAX_KEYS", "1000").build(), Runnable::run,
      List.of());
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void close() {
    pool.shutdownNow();
    engine.close();
  }

  private Anomaly open(String tenant, String service) {
    return engine.ingest(List.of(trigger(tenant, service, T0))).opened().get(0);
  }

  /** Runs {@code calls} calls on {@link #THREADS} threads released at once. */
  private <T> List<Future<T>> hammer(int calls, java.util.function.IntFunction<T> call)
      throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<T>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      futures.add(pool.submit((Callable<T>) () -> {
        start.await();
        T last = null;
        for (int i = thread; i < calls; i += THREADS) {
          last = call.apply(i);
        }
        return last;
      }));
    }
    return futures;
  }

  @Test
  void oneKeyHammeredFromManyThreadsAppliesTheChangeExactlyOnce() throws Exception {
    Anomaly a = open("acme", "billing");
    ConcurrentLinkedQueue<Anomaly> answers = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Throwable> refusals = new ConcurrentLinkedQueue<>();

    for (Future<Object> f : hammer(4_000, i -> {
      try {
        answers.add(engine.anomalies().updateStatus("acme", a.id(), RESOLVE, "key-1"));
      } catch (RuntimeException e) {
        refusals.add(e);
      }
      return null;
    })) {
      f.get();
    }

    assertThat(refusals).allSatisfy(e -> assertThat(e)
        .isInstanceOfSatisfying(IdempotencyKeyInFlightException.class,
            x -> assertThat(x.httpStatus()).isEqualTo(409)));
    assertThat(answers.size() + refusals.size()).isEqualTo(4_000);
    assertThat(answers).isNotEmpty().allSatisfy(x -> assertThat(x).isEqualTo(answers.peek()));
    Anomaly now = engine.anomalies().get("acme", a.id());
    assertThat(now.status()).isEqualTo(AnomalyStatus.RESOLVED);
    assertThat(now.history()).hasSize(2);
    assertThat(engine.health().idempotencyKeys()).isEqualTo(1);
  }

  @Test
  void theSameKeyUsedByManyTenantsAtOnceAppliesOncePerTenantAndNeverCrossesTenants()
      throws Exception {
    int tenants = 32;
    List<Anomaly> anomalies = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      anomalies.add(open("tenant-" + t, "billing"));
    }
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

    for (Future<Object> f : hammer(tenants * 100, i -> {
      int t = i % tenants;
      String tenant = "tenant-" + t;
      try {
        Anomaly own = engine.anomalies().updateStatus(tenant, anomalies.get(t).id(), RESOLVE,
            "shared-key");
        if (!own.tenant().equals(tenant) || !own.id().equals(anomalies.get(t).id())) {
          unexpected.add(new AssertionError(tenant + " got " + own));
        }
      } catch (IdempotencyKeyInFlightException expected) {
        // the tenant's own first request is still running
      } catch (RuntimeException e) {
        unexpected.add(e);
      }
      // another tenant's anomaly id, with another key: indistinguishable from a missing one
      Anomaly foreign = anomalies.get((t + 1) % tenants);
      try {
        engine.anomalies().updateStatus(tenant, foreign.id(), RESOLVE, "foreign-" + t);
        unexpected.add(new AssertionError(tenant + " changed " + foreign.id()));
      } catch (AnomalyNotFoundException | IdempotencyKeyInFlightException expected) {
        // 404, stored and replayed for this tenant and key; or its own retry in flight
      } catch (RuntimeException e) {
        unexpected.add(e);
      }
      return null;
    })) {
      f.get();
    }

    assertThat(unexpected).isEmpty();
    for (int t = 0; t < tenants; t++) {
      Anomaly now = engine.anomalies().get("tenant-" + t, anomalies.get(t).id());
      assertThat(now.status()).isEqualTo(AnomalyStatus.RESOLVED);
      assertThat(now.history()).as("tenant-%s", t).hasSize(2);
    }
    assertThat(engine.health().idempotencyKeys()).isEqualTo(2 * tenants);
  }

  @Test
  void oversizedAndMalformedKeysAreAShortClear400AndChangeNothing() {
    Anomaly a = open("acme", "billing");
    List<String> bad = List.of("k".repeat(256), "k".repeat(100_000), "k".repeat(1 << 22), "",
        "two words", "tab\there", "nul\u0000", "caf\u00e9", "\ud83d\udd11");
    for (String key : bad) {
      assertThatThrownBy(() -> engine.anomalies().updateStatus("acme", a.id(), RESOLVE, key))
          .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("Idempotency-Key must be").hasSizeLessThan(200);
          });
    }
    assertThat(engine.anomalies().get("acme", a.id()).status()).isEqualTo(AnomalyStatus.OPEN);
    assertThat(engine.health().idempotencyKeys()).isZero();
  }

  @Test
  void aFloodOfDistinctKeysFromManyThreadsStaysWithinTheBoundAndCountsDrops()
      throws Exception {
    Anomaly a = open("acme", "billing");
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    for (Future<Object> f : hammer(20_000, i -> {
      try {
        // OPEN -> OPEN is always refused: each key stores a 409 outcome and changes nothing
        engine.anomalies().updateStatus("acme", a.id(),
            new StatusUpdateRequest(AnomalyStatus.OPEN, null), "flood-" + i);
        unexpected.add(new AssertionError("OPEN -> OPEN was accepted"));
      } catch (TriageException expected) {
        if (expected.httpStatus() != 409) {
          unexpected.add(expected);
        }
      }
      return null;
    })) {
      f.get();
    }
    assertThat(unexpected).isEmpty();
    assertThat(engine.health().idempotencyKeys()).isEqualTo(1000);
    assertThat(engine.health().idempotencyKeysDropped()).isEqualTo(20_000 - 1000);
    assertThat(engine.anomalies().get("acme", a.id()).history()).hasSize(1);
  }
}
