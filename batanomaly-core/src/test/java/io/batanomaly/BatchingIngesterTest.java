package io.batanomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.testkit.ManualClock;
import io.batanomaly.testkit.RecordingDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BatchingIngesterTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

  private final RecordingDetector recorder = new RecordingDetector();
  private final AnomalyEngine engine = AnomalyEngine.builder().clock(new ManualClock(T0))
      .autoTick(false).discoverDetectors(false).detector(recorder).build();

  @AfterEach
  void close() {
    engine.close();
  }

  private static AuditEvent event(int i) {
    return AuditEvent.builder().tenant("acme").service("shop").timestamp(T0).status(200)
        .identifier("user-" + i).build();
  }

  @Test
  void ingestsABatchOnTheThreadThatFillsIt() {
    try (BatchingIngester ingester = new BatchingIngester(engine, 5, 100, Duration.ZERO)) {
      for (int i = 0; i < 4; i++) {
        assertThat(ingester.offer(event(i))).isTrue();
      }
      assertThat(recorder.events).isEmpty();
      ingester.offer(event(4));
      assertThat(recorder.events).hasSize(5);
      assertThat(ingester.batches()).isEqualTo(1);
      assertThat(ingester.accepted()).isEqualTo(5);
    }
  }

  @Test
  void closeIngestsWhatIsBufferedAndLaterOffersAreDropped() {
    BatchingIngester ingester = new BatchingIngester(engine, 100, 100, Duration.ZERO);
    ingester.offer(event(1));
    ingester.offer(event(2));
    ingester.close();
    assertThat(recorder.events).hasSize(2);
    assertThat(ingester.offer(event(3))).isFalse();
    assertThat(ingester.dropped()).isEqualTo(1);
    assertThat(ingester.offered()).isEqualTo(3);
  }

  @Test
  void countsWhatTheEngineRejects() {
    try (BatchingIngester ingester = new BatchingIngester(engine, 2, 10, Duration.ZERO)) {
      ingester.offer(event(1));
      ingester.offer(AuditEvent.builder().tenant("acme").service("shop").timestamp(T0)
          .status(999).build());
      assertThat(ingester.accepted()).isEqualTo(1);
      assertThat(ingester.rejected()).isEqualTo(1);
    }
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void aQuietHostStillReportsWithinTheMaximumDelay() {
    try (BatchingIngester ingester = new BatchingIngester(engine, 500, 1000,
        Duration.ofMillis(20))) {
      ingester.offer(event(1));
      while (ingester.accepted() < 1) {
        Thread.onSpinWait(); // the flusher thread ingests it; the timeout bounds the wait
      }
      assertThat(recorder.events).hasSize(1);
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyEventOfManyThreadsIsIngestedOrCountedAsDroppedExactlyOnce() throws Exception {
    int threads = 4;
    int perThread = 25_000;
    BatchingIngester ingester = new BatchingIngester(engine, 100, 1_000, Duration.ofMillis(5));
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < perThread; i++) {
          ingester.offer(event(i));
        }
      });
      w.start();
      workers.add(w);
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }
    ingester.close();

    long total = (long) threads * perThread;
    assertThat(ingester.offered()).isEqualTo(total);
    assertThat(ingester.accepted() + ingester.dropped()).isEqualTo(total);
    assertThat(ingester.rejected()).isZero();
    assertThat(recorder.events).hasSize((int) ingester.accepted());
    assertThat(engine.health().eventsAccepted()).isEqualTo(ingester.accepted());
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void flushWaitsForABatchThePeriodicFlusherIsStillIngesting() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AnomalyEngine slow = AnomalyEngine.builder().clock(new ManualClock(T0)).autoTick(false)
        .discoverDetectors(false).detector(new BlockingDetector(inside, release)).build();
    try (BatchingIngester ingester = new BatchingIngester(slow, 100, 100, Duration.ofMillis(1))) {
      ingester.offer(event(1));
      inside.await(); // the flusher thread has drained the event and is inside ingest
      long[] seenAfterFlush = {-1};
      Thread host = new Thread(() -> {
        ingester.flush();
        seenAfterFlush[0] = ingester.accepted();
      });
      host.start();
      while (host.getState() != Thread.State.WAITING && host.getState() != Thread.State.TERMINATED) {
        Thread.onSpinWait();
      }
      release.countDown();
      host.join();
      assertThat(seenAfterFlush[0]).isEqualTo(1);
    } finally {
      release.countDown();
      slow.close();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void dropsAndCountsWhatDoesNotFitWhileABatchIsBeingIngested() throws Exception {
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AnomalyEngine slow = AnomalyEngine.builder().clock(new ManualClock(T0)).autoTick(false)
        .discoverDetectors(false).detector(new BlockingDetector(inside, release)).build();
    BatchingIngester ingester = new BatchingIngester(slow, 5, 5, Duration.ZERO);
    try {
      Thread filler = new Thread(() -> {
        for (int i = 0; i < 5; i++) {
          ingester.offer(event(i)); // the fifth completes a batch: this thread ingests it
        }
      });
      filler.start();
      inside.await();
      int buffered = 0;
      for (int i = 0; i < 7; i++) {
        buffered += ingester.offer(event(10 + i)) ? 1 : 0;
      }
      assertThat(buffered).isEqualTo(5);
      assertThat(ingester.dropped()).isEqualTo(2);
      release.countDown();
      filler.join(); // the filler drains what was buffered meanwhile before it returns
      assertThat(ingester.accepted()).isEqualTo(10);
      assertThat(ingester.offered()).isEqualTo(12);
    } finally {
      release.countDown();
      ingester.close();
      slow.close();
    }
  }

  @Test
  void anEngineClosedFirstCostsTheEventsButNeverThrowsOnTheRequestPath() {
    AnomalyEngine closing = AnomalyEngine.builder().clock(new ManualClock(T0)).autoTick(false)
        .discoverDetectors(false).build();
    BatchingIngester ingester = new BatchingIngester(closing, 2, 10, Duration.ZERO);
    closing.close();
    assertThat(ingester.offer(event(1))).isTrue();
    assertThat(ingester.offer(event(2))).isTrue();
    ingester.offer(event(3));
    ingester.close();
    assertThat(ingester.failed()).isEqualTo(3);
    assertThat(ingester.accepted()).isZero();
  }

  @Test
  void refusesANullEventNamingIt() {
    try (BatchingIngester ingester = new BatchingIngester(engine, 2, 10, Duration.ZERO)) {
      assertThatThrownBy(() -> ingester.offer(null)).isInstanceOf(NullPointerException.class)
          .hasMessage("event");
    }
  }

  @Test
  void rejectsSizesThatCannotWorkNamingTheValue() {
    assertThatThrownBy(() -> new BatchingIngester(engine, 0, 10, Duration.ZERO))
        .hasMessage("batchSize must be at least 1, but was 0");
    assertThatThrownBy(() -> new BatchingIngester(engine, 10, 5, Duration.ZERO))
        .hasMessage("capacity must be at least batchSize (10), but was 5");
    assertThatThrownBy(() -> new BatchingIngester(engine, 10, 10, Duration.ofSeconds(-1)))
        .hasMessage("maxDelay must not be negative, but was PT-1S");
  }
}
