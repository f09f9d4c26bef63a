package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.internal.TestNotifications;
import io.batanomaly.notify.Receiver.Answer;
import io.batanomaly.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class OutboxTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SECRET = WebhookSignature.newSecret();

  private final ManualClock clock = new ManualClock(T0);

  private WebhookNotifier notifier(Receiver receiver, ManualScheduler scheduler, Outbox outbox) {
    return WebhookNotifier.builder().target(receiver.url("/hook")).secret(SECRET).clock(clock)
        .scheduler(scheduler).random(new SplittableRandom(7)).outbox(outbox)
        .retryPolicy(new RetryPolicy(5, Duration.ofHours(1), Duration.ofSeconds(10),
            Duration.ofMinutes(1)))
        .build();
  }

  @Test
  void aDeliveryIsRecordedBeforeItsFirstAttemptUpdatedAfterAFailureAndRemovedWhenAcknowledged()
      throws Exception {
    Outbox outbox = Outbox.inMemory(10);
    AtomicBoolean up = new AtomicBoolean(false);
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (Receiver receiver = new Receiver(n -> up.get() ? Answer.status(204)
            : Answer.status(503));
        WebhookNotifier webhooks = notifier(receiver, scheduler, outbox)) {
      webhooks.onNotification(TestNotifications.opened("anom-1", "s", T0));

      assertThat(receiver.requests()).isEmpty();
      assertThat(outbox.pending()).singleElement().satisfies(e -> {
        assertThat(e.attempts()).isZero();
        assertThat(e.anomalyId()).isEqualTo("anom-1");
        assertThat(e.targetId()).isEqualTo("settings:" + receiver.url("/hook"));
      });
      scheduler.runDue();
      OutboxEntry afterFailure = outbox.pending().get(0);
      assertThat(afterFailure.attempts()).isEqualTo(1);
      assertThat(afterFailure.lastStatus()).isEqualTo(503);
      assertThat(afterFailure.nextAttemptAt()).isEqualTo(T0.plus(scheduler.nextDelay()));

      up.set(true);
      scheduler.advance(scheduler.nextDelay());
      assertThat(outbox.pending()).isEmpty();
      assertThat(webhooks.stats().delivered()).isEqualTo(1);
    }
  }

  @Test
  void aNotifierBuiltOnAnOutboxResumesWhatItHoldsPendingUnderTheSameIdWithItsAttemptsCounted()
      throws Exception {
    Outbox outbox = Outbox.inMemory(10);
    AtomicBoolean up = new AtomicBoolean(false);
    try (Receiver receiver = new Receiver(n -> up.get() ? Answer.status(204)
        : Answer.status(503))) {
      // the first notifier fails once per delivery, then its process is gone: its scheduler
      // never runs again and it is never closed
      ManualScheduler first = new ManualScheduler(clock);
      WebhookNotifier before = notifier(receiver, first, outbox);
      for (int i = 0; i < 3; i++) {
        before.onNotification(TestNotifications.opened("anom-" + i, "s", T0));
      }
      first.runDue();
      first.close();
      List<String> idsBefore = receiver.requests().stream()
          .map(r -> r.header(WebhookSignature.ID_HEADER)).toList();
      assertThat(idsBefore).hasSize(3).doesNotHaveDuplicates();

      up.set(true);
      clock.advance(Duration.ofMinutes(5));
      ManualScheduler second = new ManualScheduler(clock);
      try (WebhookNotifier after = notifier(receiver, second, outbox)) {
        assertThat(after.stats().resumed()).isEqualTo(3);
        assertThat(second.runDue()).isEqualTo(3);
        List<Receiver.Request> resent = receiver.requests().subList(3, 6);
        assertThat(resent).extracting(r -> r.header(WebhookSignature.ID_HEADER))
            .containsExactlyInAnyOrderElementsOf(idsBefore);
        assertThat(resent).extracting(r -> r.header("Batanomaly-Attempt"))
            .containsOnly("2");
        assertThat(after.stats().delivered()).isEqualTo(3);
        assertThat(outbox.pending()).isEmpty();
      }
    }
  }

  @Test
  void closingANotifierWhoseOutboxIsNotDurableMovesPendingDeliveriesToTheDeadLetters()
      throws Exception {
    Outbox outbox = Outbox.inMemory(10);
    try (Receiver receiver = new Receiver(n -> Answer.status(503))) {
      ManualScheduler scheduler = new ManualScheduler(clock);
      WebhookNotifier webhooks = notifier(receiver, scheduler, outbox);
      webhooks.onNotification(TestNotifications.opened("anom-1", "s", T0));
      scheduler.runDue();
      webhooks.close();
      assertThat(outbox.pending()).isEmpty();
      assertThat(outbox.deadLetters()).singleElement()
          .satisfies(l -> assertThat(l.reason()).isEqualTo("the notifier was closed"));
    }
  }
}
