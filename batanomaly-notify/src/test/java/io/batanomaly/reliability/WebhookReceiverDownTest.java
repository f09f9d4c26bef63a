package io.batanomaly.reliability;

import static io.batanomaly.reliability.TestEngines.T0;
import static io.batanomaly.reliability.TestEngines.trigger;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.EngineHealth;
import io.batanomaly.IngestResult;
import io.batanomaly.notify.DeliveryScheduler;
import io.batanomaly.notify.DeliveryStats;
import io.batanomaly.notify.RetryPolicy;
import io.batanomaly.notify.WebhookNotifier;
import io.batanomaly.testkit.ManualClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A webhook receiver that answers 503 for a simulated hour while the engine keeps finding
 * anomalies: ingest is unaffected, the deliveries waiting for a retry stay within their bound,
 * what does not fit is dead-lettered and counted, and once the receiver is back every delivery
 * is accounted for.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebhookReceiverDownTest {
  private static final int MAX_PENDING = 40;
  private static final int DEAD_LETTER_CAP = 30;
  private static final int PER_MINUTE = 5;

  private final ManualClock clock = new ManualClock(T0);
  private final ClockScheduler scheduler = new ClockScheduler(clock);
  private final AtomicInteger answer = new AtomicInteger(503);
  private final AtomicInteger requests = new AtomicInteger();
  private final HttpServer receiver;

  WebhookReceiverDownTest() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/hook", exchange -> {
      exchange.getRequestBody().readAllBytes();
      requests.incrementAndGet();
      exchange.sendResponseHeaders(answer.get(), -1);
      exchange.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
  }

  @Test
  void aReceiverDownForAnHourNeitherSlowsIngestNorGrowsThePendingDeliveriesPastTheirBound()
      throws Exception {
    WebhookNotifier webhooks = WebhookNotifier.builder()
        .target(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"))
        .secret(io.batanomaly.notify.WebhookSignature.newSecret())
        .clock(clock)
        .scheduler(scheduler)
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(new RetryPolicy(1_000, Duration.ofHours(2), Duration.ofSeconds(1),
            Duration.ofMinutes(5)))
        .maxPending(MAX_PENDING)
        .deadLetterCap(DEAD_LETTER_CAP)
        .build();
    Semaphore handedOver = new Semaphore(0);
    AnomalyEngine engine = TestEngines.engine(clock, AnomalyConfig.defaults(), Runnable::run,
        List.of(n -> {
          webhooks.onNotification(n);
          handedOver.release();
        }));
    // a receiver down must not flood the host's log with a line per notification
    java.io.PrintStream stderr = System.err;
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
    try (engine; webhooks) {
      int service = 0;
      for (int minute = 0; minute < 60; minute++) {
        List<AuditEvent> batch = new ArrayList<>();
        for (int i = 0; i < PER_MINUTE; i++) {
          batch.add(trigger("acme", "svc-" + service++, clock.instant()));
        }
        IngestResult r = engine.ingest(batch);
        assertThat(r.accepted()).isEqualTo(PER_MINUTE);
        assertThat(r.opened()).hasSize(PER_MINUTE);
        assertThat(handedOver.tryAcquire(PER_MINUTE, 10, TimeUnit.SECONDS)).isTrue();
        scheduler.runDue();
        assertThat(webhooks.stats().pending()).isLessThanOrEqualTo(MAX_PENDING);
        for (int s = 0; s < 6; s++) {
          scheduler.advance(Duration.ofSeconds(10));
          assertThat(webhooks.stats().pending()).isLessThanOrEqualTo(MAX_PENDING);
        }
      }
      System.setErr(stderr);
      long warnings = log.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(l -> l.contains("Webhook")).count();
      // the simulated hour takes seconds: one line, or two should the machine stall a minute
      assertThat(warnings).isBetween(1L, 2L);
      DeliveryStats down = webhooks.stats();
      int notifications = 60 * PER_MINUTE;
      assertThat(down.submitted()).isEqualTo(notifications);
      assertThat(down.delivered()).isZero();
      assertThat(down.pending()).isEqualTo(MAX_PENDING);
      assertThat(down.deadLettered()).isEqualTo(notifications - MAX_PENDING);
      assertThat(down.deadLettersDropped()).isEqualTo(notifications - MAX_PENDING
          - DEAD_LETTER_CAP);
      assertThat(down.deadLetters()).isEqualTo(DEAD_LETTER_CAP);
      assertThat(requests.get()).isEqualTo(down.attempts()).isPositive();
      EngineHealth h = engine.health();
      assertThat(h.eventsAccepted()).isEqualTo(notifications);
      assertThat(h.anomaliesOpened()).isEqualTo(notifications);
      assertThat(h.notificationsDropped()).isZero();
      assertThat(h.listenerFailures()).isZero();

      // the receiver is back: the pending retries go through, the dead letters on replay
      answer.set(200);
      scheduler.advance(Duration.ofMinutes(5));
      assertThat(webhooks.stats().pending()).isZero();
      assertThat(webhooks.replayAll()).isEqualTo(DEAD_LETTER_CAP);
      scheduler.runDue();
      DeliveryStats up = webhooks.stats();
      assertThat(up.delivered()).isEqualTo(MAX_PENDING + DEAD_LETTER_CAP);
      assertThat(up.pending()).isZero();
      assertThat(up.deadLetters()).isZero();
      assertThat(up.deadLettersDropped()).isEqualTo(notifications - MAX_PENDING
          - DEAD_LETTER_CAP);
    } finally {
      System.setErr(stderr);
    }
  }

  /** Runs scheduled attempts on the test's thread when the manual clock says they are due. */
  private static final class ClockScheduler implements DeliveryScheduler {
    private record Task(long due, long seq, Runnable run) {}

    private final ManualClock clock;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
        ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long seq;

    ClockScheduler(ManualClock clock) {
      this.clock = clock;
    }

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
      tasks.add(new Task(clock.millis() + delay.toMillis(), seq++, task));
    }

    void runDue() {
      for (;;) {
        Task t;
        synchronized (this) {
          t = tasks.peek();
          if (t == null || t.due > clock.millis()) {
            return;
          }
          tasks.poll();
        }
        t.run.run();
      }
    }

    void advance(Duration d) {
      clock.advance(d);
      runDue();
    }

    @Override
    public synchronized void close() {
      tasks.clear();
    }
  }
}
