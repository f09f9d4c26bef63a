package io.batanomaly.reliability;

import static io.batanomaly.reliability.TestEngines.T0;
import static io.batanomaly.reliability.TestEngines.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AnomalyListener;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.IngestResult;
import io.batanomaly.testkit.ManualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listeners that throw on every call or block forever: ingest is unaffected, the notification
 * queue stays within its capacity, and what is dropped or fails is counted exactly.
 */
@Timeout(30)
class ListenerFaultsTest {
  private static final int CAPACITY = 16;

  private final ManualClock clock = new ManualClock(T0);
  private final List<AnomalyEngine> engines = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    engines.forEach(AnomalyEngine::close);
  }

  private AnomalyEngine engine(AnomalyListener... listeners) {
    AnomalyEngine e = TestEngines.engine(clock, AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_LISTENER_QUEUE_CAPACITY", String.valueOf(CAPACITY)).build(),
        Runnable::run, List.of(listeners));
    engines.add(e);
    return e;
  }

  /** One batch opening {@code n} anomalies: one trigger event for each of n services. */
  private static List<AuditEvent> incidents(int n, int offset) {
    List<AuditEvent> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(trigger("acme", "svc-" + (offset + i), T0));
    }
    return batch;
  }

  @Test
  void aListenerThrowingOnEveryCallNeitherBreaksIngestNorStarvesTheOtherListeners()
      throws Exception {
    LinkedBlockingQueue<AnomalyNotification> received = new LinkedBlockingQueue<>();
    AtomicInteger thrown = new AtomicInteger();
    AnomalyEngine engine = engine(n -> {
      thrown.incrementAndGet();
      throw new IllegalStateException("listener down");
    }, n -> {
      thrown.incrementAndGet();
      throw new OutOfMemoryError("listener out of memory (simulated)");
    }, received::add);

    IngestResult r = engine.ingest(incidents(10, 0));

    assertThat(r.accepted()).isEqualTo(10);
    assertThat(r.opened()).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(received.poll(10, TimeUnit.SECONDS)).as("notification %s", i).isNotNull();
    }
    // each listener has its own thread: the failing ones get every notification too
    while (engine.health().listenerFailures() < 20) {
      Thread.onSpinWait();
    }
    assertThat(thrown.get()).isEqualTo(20);
    EngineHealth h = engine.health();
    assertThat(h.listenerFailures()).isEqualTo(20);
    assertThat(h.notificationsDropped()).isZero();
    assertThat(h.eventsAccepted()).isEqualTo(10);
  }

  @Test
  void aListenerBlockingForeverKeepsTheQueueBoundedAndDropsAreCounted() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    AnomalyEngine engine = engine(n -> {
      calls.incrementAndGet();
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    // the first notification is taken by the listener, which then blocks
    engine.ingest(incidents(1, 0));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    int more = 1_000;
    long accepted = 0;
    for (int b = 0; b < 10; b++) {
      IngestResult r = engine.ingest(incidents(more / 10, 1 + b * (more / 10)));
      accepted += r.accepted();
      assertThat(r.opened()).hasSize(more / 10);
    }

    EngineHealth h = engine.health();
    assertThat(accepted).isEqualTo(more);
    assertThat(h.listenerQueueDepth()).isEqualTo(CAPACITY);
    assertThat(h.notificationsDropped()).isEqualTo(more - CAPACITY);
    assertThat(h.anomaliesOpened()).isEqualTo(more + 1);
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void closingAnEngineWhoseListenerBlocksForeverReturns() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    AnomalyEngine engine = engine(n -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    engine.ingest(incidents(5, 0));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

    engine.close();

    assertThat(engine.health().listenerQueueDepth()).isLessThanOrEqualTo(CAPACITY);
  }
}
