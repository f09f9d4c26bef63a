package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DeliveriesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void readsRetryAfterAsSecondsOrHttpDate() {
    assertThat(Deliveries.parseRetryAfter("120", NOW)).isEqualTo(Duration.ofSeconds(120));
    assertThat(Deliveries.parseRetryAfter(" 0 ", NOW)).isEqualTo(Duration.ZERO);
    assertThat(Deliveries.parseRetryAfter("Sun, 01 Mar 2026 10:01:30 GMT", NOW))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(Deliveries.parseRetryAfter("Sun, 01 Mar 2026 09:00:00 GMT", NOW))
        .isEqualTo(Duration.ZERO);
    assertThat(Deliveries.parseRetryAfter("-5", NOW)).isNull();
    assertThat(Deliveries.parseRetryAfter("soon", NOW)).isNull();
    assertThat(Deliveries.parseRetryAfter(null, NOW)).isNull();
  }

  @Test
  void classifiesAnswers() {
    assertThat(Deliveries.classify(204, null, NOW).outcome())
        .isEqualTo(Deliveries.Outcome.DELIVERED);
    assertThat(Deliveries.classify(429, "7", NOW).retryAfter()).isEqualTo(Duration.ofSeconds(7));
    assertThat(Deliveries.classify(503, null, NOW).outcome()).isEqualTo(Deliveries.Outcome.RETRY);
    assertThat(Deliveries.classify(503, null, NOW).retryAfter()).isNull();
    assertThat(Deliveries.classify(500, null, NOW).outcome()).isEqualTo(Deliveries.Outcome.RETRY);
    assertThat(Deliveries.classify(408, null, NOW).outcome()).isEqualTo(Deliveries.Outcome.RETRY);
    assertThat(Deliveries.classify(404, null, NOW).outcome())
        .isEqualTo(Deliveries.Outcome.REFUSED);
    assertThat(Deliveries.classify(301, null, NOW).outcome())
        .isEqualTo(Deliveries.Outcome.REFUSED);
  }

  @Test
  void backoffDoublesUpToTheCapWithJitterInTheUpperHalf() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofHours(1), Duration.ofSeconds(1),
        Duration.ofSeconds(30));
    assertThat(p.nominalBackoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.nominalBackoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(p.nominalBackoff(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(p.nominalBackoff(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.nominalBackoff(500)).isEqualTo(Duration.ofSeconds(30));
    SplittableRandom r = new SplittableRandom(7);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long ms = p.backoff(3, r).toMillis();
      min = Math.min(min, ms);
      max = Math.max(max, ms);
    }
    assertThat(min).isGreaterThanOrEqualTo(2000).isLessThan(2100);
    assertThat(max).isLessThanOrEqualTo(4000).isGreaterThan(3900);
  }

  /**
   * Close interrupts an attempt that hangs; the interrupted attempt takes its delivery out of
   * the pending ones and dead-letters it. Here the outbox holds that worker inside its
   * dead-letter write until close has either returned or waits on a lock: close must not return
   * before the dead letter is written, or a caller that reads the list right after close misses
   * a delivery that is neither pending nor dead-lettered.
   */
  @Test
  @Timeout(60)
  void closeReturnsOnlyOnceAnAttemptItInterruptedHasRecordedItsDeadLetter() throws Exception {
    CountDownLatch attempting = new CountDownLatch(1);
    AtomicBoolean writing = new AtomicBoolean();
    Thread[] running = new Thread[1];
    DeliveryScheduler oneThread = new DeliveryScheduler() {
      private volatile boolean closed;

      @Override
      public void schedule(Runnable task, Duration delay) {
        if (closed) {
          throw new RejectedExecutionException("closed");
        }
        running[0] = new Thread(task, "attempt");
        running[0].setDaemon(true);
        running[0].start();
      }

      @Override
      public void close() {
        // like ScheduledThreadPoolExecutor.shutdownNow: interrupts, does not wait for the
        // attempt; here it lets the interrupted attempt reach its dead-letter write first, the
        // order that left one delivery out of the list (a spin, so close parks on nothing)
        closed = true;
        running[0].interrupt();
        while (!writing.get()) {
          Thread.onSpinWait();
        }
      }
    };
    Outbox memory = Outbox.inMemory(10);
    Thread[] closer = new Thread[1];
    Outbox holdingDeadLetters = new Outbox() {
      @Override
      public boolean durable() {
        return false;
      }

      @Override
      public void add(OutboxEntry entry) {
        memory.add(entry);
      }

      @Override
      public void update(OutboxEntry entry) {
        memory.update(entry);
      }

      @Override
      public void remove(String deliveryId, String targetId) {
        memory.remove(deliveryId, targetId);
      }

      @Override
      public int deadLetter(OutboxEntry e, Instant failedAt, String reason) {
        if (Thread.currentThread() == running[0]) {
          writing.set(true);
          // until close has returned or waits on a lock; a spin, as the interrupt flag is set
          Thread c = closer[0];
          while (c.getState() != Thread.State.TERMINATED && LockSupport.getBlocker(c) == null) {
            Thread.onSpinWait();
          }
        }
        return memory.deadLetter(e, failedAt, reason);
      }

      @Override
      public List<OutboxEntry> pending() {
        return memory.pending();
      }

      @Override
      public List<DeadLetter> deadLetters() {
        return memory.deadLetters();
      }

      @Override
      public List<DeadLetter> takeDeadLetters(String deliveryId) {
        return memory.takeDeadLetters(deliveryId);
      }
    };
    Deliveries deliveries = new Deliveries("test", oneThread, new ManualClock(NOW),
        new RetryPolicy(5, Duration.ofHours(1), Duration.ofSeconds(1), Duration.ofMinutes(1)),
        100, new SplittableRandom(1), d -> {
          attempting.countDown();
          new CountDownLatch(1).await(); // hangs until close interrupts it
          return new Deliveries.Result(Deliveries.Outcome.DELIVERED, 200, null, "HTTP 200");
        }, d -> { }, holdingDeadLetters);
    AtomicInteger deadLettersWhenCloseReturned = new AtomicInteger(-1);
    closer[0] = new Thread(() -> {
      deliveries.close();
      deadLettersWhenCloseReturned.set(deliveries.deadLetters().size());
    }, "closer");

    deliveries.submit(new Deliveries.Delivery("msg_1", "target", "acme-corp", "anomaly.opened",
        "a-1", "{}", NOW));
    attempting.await();
    closer[0].start();
    closer[0].join();

    assertThat(deadLettersWhenCloseReturned.get()).isEqualTo(1);
    assertThat(deliveries.deadLetters()).singleElement()
        .satisfies(l -> assertThat(l.deliveryId()).isEqualTo("msg_1"));
    assertThat(deliveries.stats().pending()).isZero();
    assertThat(deliveries.stats().deadLettered()).isEqualTo(1);
  }
}
