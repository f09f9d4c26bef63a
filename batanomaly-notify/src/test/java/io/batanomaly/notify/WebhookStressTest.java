package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.internal.TestNotifications;
import io.batanomaly.notify.Receiver.Answer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many threads notifying at once, on real threads and real HTTP, with retries. */
@Timeout(120)
class WebhookStressTest {

  @Test
  void concurrentNotificationsAreEachAcceptedExactlyOnceUnderTheirOwnDeliveryId()
      throws Exception {
    int threads = 8;
    int perThread = 50;
    int total = threads * perThread;
    Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
    // Every first attempt fails with 503 or 500, every second one is accepted.
    try (Receiver receiver = new Receiver((n, r) -> {
      if ("1".equals(r.header("Batanomaly-Attempt"))) {
        return n % 2 == 0 ? Answer.status(503) : Answer.status(500);
      }
      accepted.computeIfAbsent(r.header(WebhookSignature.ID_HEADER),
          k -> new AtomicInteger()).incrementAndGet();
      return Answer.status(200);
    });
        WebhookNotifier notifier = WebhookNotifier.builder().target(receiver.url("/hook"))
            .secret(WebhookSignature.newSecret())
            .retryPolicy(new RetryPolicy(5, Duration.ofMinutes(5), Duration.ofMillis(2),
                Duration.ofMillis(20)))
            .build()) {
      Instant at = Instant.parse("2026-03-01T10:00:00Z");
      List<Thread> senders = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int base = t * perThread;
        Thread th = new Thread(() -> {
          for (int i = 0; i < perThread; i++) {
            notifier.onNotification(TestNotifications.opened("anom-" + (base + i), "s", at));
          }
        });
        senders.add(th);
        th.start();
      }
      for (Thread th : senders) {
        th.join();
      }
      while (notifier.stats().delivered() + notifier.stats().deadLettered() < total) {
        Thread.onSpinWait();
      }
      DeliveryStats s = notifier.stats();
      assertThat(s.submitted()).isEqualTo(total);
      assertThat(s.delivered()).isEqualTo(total);
      assertThat(s.deadLettered()).isZero();
      assertThat(s.attempts()).isEqualTo(2L * total);
      assertThat(s.retries()).isEqualTo(total);
      assertThat(s.pending()).isZero();
      assertThat(accepted).hasSize(total);
      assertThat(accepted.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
      assertThat(receiver.requests()).hasSize(2 * total);
    }
  }
}
