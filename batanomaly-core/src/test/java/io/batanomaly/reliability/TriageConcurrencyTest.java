package io.batanomaly.reliability;

import static io.batanomaly.reliability.TestEngines.T0;
import static io.batanomaly.reliability.TestEngines.event;
import static io.batanomaly.reliability.TestEngines.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyQuery;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.api.AnomalySummary;
import io.batanomaly.api.HistoryEntry;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.api.TriageException;
import io.batanomaly.testkit.ManualClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Eight threads ingest while others list, inspect, verify and change statuses. Every event is
 * counted exactly, nothing deadlocks (the test is bounded by a timeout), and every status change
 * that returned normally is in its anomaly's history, as a valid chain, exactly once.
 */
class TriageConcurrencyTest {
  private static final String[] TENANTS = {"acme", "globex"};
  private static final int SERVICES = 40;
  private static final int INGESTERS = 8;
  private static final int BATCHES = 1_500;
  private static final int BATCH_SIZE = 10;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void ingestListVerifyAndUpdateAtOnceLoseNoEventAndNoHistoryEntry() throws Exception {
    ManualClock clock = new ManualClock(T0);
    ExecutorService verification = Executors.newFixedThreadPool(2);
    AnomalyEngine engine = TestEngines.engine(clock, AnomalyConfig.defaults(), verification,
        List.of(n -> { }));
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    LongAdder accepted = new LongAdder();
    LongAdder userChanges = new LongAdder();
    LongAdder verificationsStarted = new LongAdder();
    LongAdder conflicts = new LongAdder();
    LongAdder reads = new LongAdder();
    AtomicBoolean ingestDone = new AtomicBoolean();
    CountDownLatch ingesters = new CountDownLatch(INGESTERS);
    List<Thread> threads = new ArrayList<>();

    for (int t = 0; t < INGESTERS; t++) {
      threads.add(new Thread(() -> {
        try {
          ThreadLocalRandom r = ThreadLocalRandom.current();
          for (int b = 0; b < BATCHES; b++) {
            List<AuditEvent> batch = new ArrayList<>(BATCH_SIZE);
            for (int i = 0; i < BATCH_SIZE; i++) {
              String tenant = TENANTS[r.nextInt(TENANTS.length)];
              String service = "svc-" + r.nextInt(SERVICES);
              batch.add(r.nextInt(20) == 0 ? trigger(tenant, service, T0)
                  : event(tenant, service, T0));
            }
            accepted.add(engine.ingest(batch).accepted());
          }
        } catch (Throwable e) {
          unexpected.add(e);
        } finally {
          ingesters.countDown();
        }
      }, "ingest-" + t));
    }
    for (String tenant : TENANTS) {
      threads.add(triageThread("list-" + tenant, ingestDone, unexpected, () -> {
        for (AnomalySummary s : engine.anomalies().list(tenant,
            new AnomalyQuery(null, 7, 0, 100)).content()) {
          engine.anomalies().find(tenant, s.id()).orElseThrow();
          reads.increment();
        }
      }));
      threads.add(triageThread("verify-" + tenant, ingestDone, unexpected, () -> {
        String id = anyId(engine, tenant);
        if (id != null) {
          try {
            engine.anomalies().verify(tenant, id);
            verificationsStarted.increment();
          } catch (TriageException expected) {
            conflicts.increment();
          }
        }
      }));
      threads.add(triageThread("update-" + tenant, ingestDone, unexpected, () -> {
        String id = anyId(engine, tenant);
        if (id != null) {
          AnomalyStatus[] targets = {AnomalyStatus.OPEN, AnomalyStatus.RESOLVED,
              AnomalyStatus.DISMISSED};
          AnomalyStatus to = targets[ThreadLocalRandom.current().nextInt(targets.length)];
          try {
            engine.anomalies().updateStatus(tenant, id, new StatusUpdateRequest(to, "triaged"),
                null);
            userChanges.increment();
          } catch (TriageException expected) {
            conflicts.increment();
          }
        }
      }));
    }
    threads.forEach(Thread::start);
    ingesters.await();
    ingestDone.set(true);
    for (Thread th : threads) {
      th.join();
    }
    verification.shutdown();
    assertThat(verification.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

    assertThat(unexpected).isEmpty();
    long total = (long) INGESTERS * BATCHES * BATCH_SIZE;
    assertThat(accepted.sum()).isEqualTo(total);
    EngineHealth h = engine.health();
    assertThat(h.eventsAccepted()).isEqualTo(total);
    assertThat(TestEngines.recorder(engine).observed.sum()).isEqualTo(total);

    List<Anomaly> all = new ArrayList<>();
    for (String tenant : TENANTS) {
      for (AnomalySummary s : engine.anomalies().list(tenant,
          new AnomalyQuery(null, 7, 0, 200)).content()) {
        all.add(engine.anomalies().get(tenant, s.id()));
      }
    }
    long entries = 0;
    Set<String> activeSubjects = new HashSet<>();
    int active = 0;
    for (Anomaly a : all) {
      List<HistoryEntry> history = a.history();
      assertThat(history.get(0).from()).isNull();
      assertThat(history.get(0).to()).isEqualTo(AnomalyStatus.OPEN);
      for (int i = 1; i < history.size(); i++) {
        assertThat(history.get(i).from()).as("history of %s", a.id())
            .isEqualTo(history.get(i - 1).to());
      }
      assertThat(history.get(history.size() - 1).to()).isEqualTo(a.status());
      assertThat(a.status()).as("nothing stays VERIFYING").isNotEqualTo(AnomalyStatus.VERIFYING);
      entries += history.size();
      if (a.status().isActive()) {
        active++;
        assertThat(activeSubjects.add(a.tenant() + "/" + a.subject()))
            .as("one active anomaly per subject").isTrue();
      }
    }
    assertThat(all).hasSize((int) h.anomaliesOpened());
    // one opening entry per anomaly, one per user change, two per verification (start, verdict)
    assertThat(entries)
        .isEqualTo(h.anomaliesOpened() + userChanges.sum() + 2 * verificationsStarted.sum());
    assertThat(h.anomaliesActive()).isEqualTo(active);
    assertThat(userChanges.sum()).isPositive();
    assertThat(verificationsStarted.sum()).isPositive();
    assertThat(reads.sum()).isPositive();
    engine.close();
  }

  private static String anyId(AnomalyEngine engine, String tenant) {
    List<AnomalySummary> content = engine.anomalies().list(tenant,
        new AnomalyQuery(null, 7, 0, 100)).content();
    return content.isEmpty() ? null
        : content.get(ThreadLocalRandom.current().nextInt(content.size())).id();
  }

  private static Thread triageThread(String name, AtomicBoolean done,
      ConcurrentLinkedQueue<Throwable> unexpected, Runnable step) {
    return new Thread(() -> {
      try {
        while (!done.get()) {
          step.run();
        }
      } catch (Throwable e) {
        unexpected.add(e);
      }
    }, name);
  }
}
