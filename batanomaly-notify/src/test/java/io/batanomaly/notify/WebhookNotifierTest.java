package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyNotification;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.internal.TestNotifications;
import io.batanomaly.notify.Receiver.Answer;
import io.batanomaly.testkit.ManualClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebhookNotifierTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private Receiver receiver;
  private WebhookNotifier notifier;

  @AfterEach
  void tearDown() {
    if (notifier != null) {
      notifier.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private WebhookNotifier.Builder notifierTo(URI... targets) {
    return WebhookNotifier.builder().targets(List.of(targets)).secret(SECRET).clock(clock)
        .scheduler(scheduler).random(new SplittableRandom(42))
        .requestTimeout(Duration.ofSeconds(5))
        .retryPolicy(new RetryPolicy(5, Duration.ofHours(1), Duration.ofSeconds(1),
            Duration.ofMinutes(1)));
  }

  private static AnomalyNotification opened(String id) {
    return TestNotifications.opened(id, "12 failed logins from 10.0.0.7", T0);
  }

  private static void assertSignedFor(Receiver.Request r, Instant now) {
    assertThat(WebhookSignature.verify(SECRET, r.header(WebhookSignature.ID_HEADER),
        r.header(WebhookSignature.TIMESTAMP_HEADER), r.bodyText(),
        r.header(WebhookSignature.SIGNATURE_HEADER), Duration.ofMinutes(5), now))
        .as("signature of %s", r.bodyText()).isTrue();
  }

  @Test
  void receiverFailingTwiceGetsTheDeliveryOnTheThirdAttemptUnderOneDeliveryId() throws Exception {
    receiver = new Receiver(n -> n < 2 ? Answer.status(500) : Answer.status(204));
    notifier = notifierTo(receiver.url("/hook")).build();

    notifier.onNotification(opened("anom-1"));
    assertThat(scheduler.runDue()).isEqualTo(1);
    assertThat(receiver.requests()).hasSize(1);

    Duration first = scheduler.nextDelay();
    assertThat(first).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
    scheduler.advance(first.minusMillis(1));
    assertThat(receiver.requests()).hasSize(1);
    scheduler.advance(Duration.ofMillis(1));
    assertThat(receiver.requests()).hasSize(2);

    Duration second = scheduler.nextDelay();
    assertThat(second).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    scheduler.advance(second);
    assertThat(receiver.requests()).hasSize(3);

    assertThat(scheduler.size()).isZero();
    scheduler.advance(Duration.ofHours(2));
    List<Receiver.Request> got = receiver.requests();
    assertThat(got).hasSize(3);
    Set<String> ids = got.stream().map(r -> r.header(WebhookSignature.ID_HEADER))
        .collect(Collectors.toSet());
    assertThat(ids).hasSize(1);
    String id = ids.iterator().next();
    assertThat(got).allSatisfy(r -> {
      assertThat(r.bodyText()).startsWith("{\"deliveryId\":\"" + id + "\",");
      assertThat(r.header("Content-Type")).startsWith("application/json");
    });
    assertThat(got.stream().map(r -> r.header("Batanomaly-Attempt")))
        .containsExactly("1", "2", "3");
    got.forEach(r -> assertSignedFor(r, T0.plusSeconds(5)));
    // the same signed request, presented two hours later, is refused as a replay
    Receiver.Request last = got.get(2);
    assertThat(WebhookSignature.verify(SECRET, last.header(WebhookSignature.ID_HEADER),
        last.header(WebhookSignature.TIMESTAMP_HEADER), last.bodyText(),
        last.header(WebhookSignature.SIGNATURE_HEADER), Duration.ofMinutes(5), clock.instant()))
        .isFalse();
    DeliveryStats s = notifier.stats();
    assertThat(s.delivered()).isEqualTo(1);
    assertThat(s.attempts()).isEqualTo(3);
    assertThat(s.retries()).isEqualTo(2);
    assertThat(s.pending()).isZero();
    assertThat(notifier.deadLetters()).isEmpty();
  }

  @Test
  void deliveriesPassAVerifierWrittenFromTheSpecificationWhichRejectsATamperedBodyAndAnOldTimestamp()
      throws Exception {
    receiver = new Receiver(n -> n == 0 ? Answer.status(429, "Retry-After", "30")
        : Answer.status(204));
    notifier = notifierTo(receiver.url("/hook")).build();
    StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(SECRET, 300);

    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();
    scheduler.advance(scheduler.nextDelay());
    List<Receiver.Request> got = receiver.requests();
    assertThat(got).hasSize(2);
    for (Receiver.Request r : got) {
      String id = r.header("webhook-id");
      String ts = r.header("webhook-timestamp");
      String sig = r.header("webhook-signature");
      assertThat(sig).startsWith("v1,");
      long now = clock.instant().getEpochSecond();
      assertThat(verifier.verify(id, ts, sig, r.body(), now))
          .isEqualTo(StandardWebhooksVerifier.Verdict.VALID);
      byte[] tampered = r.bodyText().replace("anom-1", "anom-2")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(verifier.verify(id, ts, sig, tampered, now))
          .isEqualTo(StandardWebhooksVerifier.Verdict.BAD_SIGNATURE);
      assertThat(verifier.verify("another-id", ts, sig, r.body(), now))
          .isEqualTo(StandardWebhooksVerifier.Verdict.BAD_SIGNATURE);
      assertThat(verifier.verify(id, ts, sig, r.body(), now + 301))
          .isEqualTo(StandardWebhooksVerifier.Verdict.TIMESTAMP_OUT_OF_TOLERANCE);
      assertThat(verifier.verify(id, ts, null, r.body(), now))
          .isEqualTo(StandardWebhooksVerifier.Verdict.MISSING_HEADER);
    }
    // one id for both attempts, each attempt signed afresh at its own time
    assertThat(got.get(1).header("webhook-id")).isEqualTo(got.get(0).header("webhook-id"));
    assertThat(Long.parseLong(got.get(1).header("webhook-timestamp")))
        .isEqualTo(Long.parseLong(got.get(0).header("webhook-timestamp")) + 30);
  }

  @Test
  void tooManyRequestsWithRetryAfterSecondsWaitsExactlyThatLong() throws Exception {
    receiver = new Receiver(n -> n == 0 ? Answer.status(429, "Retry-After", "120")
        : Answer.status(200));
    notifier = notifierTo(receiver.url("/hook")).build();

    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofSeconds(120));
    scheduler.advance(Duration.ofSeconds(119));
    assertThat(receiver.requests()).hasSize(1);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(receiver.requests()).hasSize(2);
    assertThat(notifier.stats().delivered()).isEqualTo(1);
  }

  @Test
  void serviceUnavailableWithRetryAfterDateWaitsUntilThatDate() throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(
        T0.plusSeconds(30).atOffset(ZoneOffset.UTC));
    receiver = new Receiver(n -> n == 0 ? Answer.status(503, "Retry-After", date)
        : Answer.status(200));
    notifier = notifierTo(receiver.url("/hook")).build();

    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();
    assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofSeconds(30));
    scheduler.advance(Duration.ofSeconds(29));
    assertThat(receiver.requests()).hasSize(1);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(receiver.requests()).hasSize(2);
    assertThat(notifier.stats().delivered()).isEqualTo(1);
  }

  @Test
  void receiverThatNeverAnswersIsCutOffByTheTimeoutDeadLetteredAndReplayedLater()
      throws Exception {
    receiver = new Receiver(n -> Answer.hanging());
    notifier = notifierTo(receiver.url("/hook")).requestTimeout(Duration.ofMillis(200))
        .retryPolicy(new RetryPolicy(3, Duration.ofHours(1), Duration.ofSeconds(1),
            Duration.ofMinutes(1)))
        .build();

    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();
    scheduler.advance(Duration.ofMinutes(1));
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(receiver.requests()).hasSize(3);
    assertThat(scheduler.size()).isZero();
    List<DeadLetter> dead = notifier.deadLetters();
    assertThat(dead).hasSize(1);
    DeadLetter letter = dead.get(0);
    assertThat(letter.attempts()).isEqualTo(3);
    assertThat(letter.lastStatus()).isZero();
    assertThat(letter.reason()).contains("gave up after 3 attempts").contains("timed out");
    assertThat(letter.anomalyId()).isEqualTo("anom-1");
    assertThat(letter.event()).isEqualTo("anomaly.opened");

    receiver.answer(n -> Answer.status(200));
    assertThat(notifier.replay(letter.deliveryId())).isEqualTo(1);
    scheduler.runDue();
    assertThat(notifier.deadLetters()).isEmpty();
    assertThat(notifier.stats().delivered()).isEqualTo(1);
    Receiver.Request replayed = receiver.requests().get(3);
    assertThat(replayed.header(WebhookSignature.ID_HEADER))
        .isEqualTo(letter.deliveryId());
    assertThat(replayed.bodyText()).isEqualTo(letter.body());
    assertSignedFor(replayed, clock.instant());
  }

  @Test
  void clientErrorIsRefusedAtOnceWithoutRetry() throws Exception {
    receiver = new Receiver(n -> Answer.status(400));
    notifier = notifierTo(receiver.url("/hook")).build();

    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();
    scheduler.advance(Duration.ofHours(1));
    assertThat(receiver.requests()).hasSize(1);
    assertThat(notifier.deadLetters()).singleElement()
        .satisfies(l -> {
          assertThat(l.lastStatus()).isEqualTo(400);
          assertThat(l.reason()).isEqualTo("refused with HTTP 400");
        });
  }

  @Test
  void retryAfterBeyondTheMaximumAgeDeadLettersInsteadOfWaiting() throws Exception {
    receiver = new Receiver(n -> Answer.status(429, "Retry-After", "7200"));
    notifier = notifierTo(receiver.url("/hook")).build();

    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();
    assertThat(scheduler.size()).isZero();
    assertThat(notifier.deadLetters()).singleElement()
        .satisfies(l -> assertThat(l.reason()).contains("maximum age"));
  }

  @Test
  void aRetryAfterTooLargeForAnInstantDeadLettersTheDeliveryInsteadOfLeavingItPending()
      throws Exception {
    // Long.MAX_VALUE seconds: adding it to the clock's instant overflows
    receiver = new Receiver(n -> Answer.status(503, "Retry-After",
        Long.toString(Long.MAX_VALUE)));
    notifier = notifierTo(receiver.url("/hook")).build();

    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();

    assertThat(scheduler.size()).isZero();
    assertThat(notifier.stats().pending()).isZero();
    assertThat(notifier.deadLetters()).singleElement()
        .satisfies(l -> assertThat(l.reason()).contains("maximum age"));
  }

  @Test
  void nothingIsLostUntilTheDeadLetterCapAndBeyondItOnlyTheOldestAreDropped()
      throws Exception {
    receiver = new Receiver(n -> Answer.status(500));
    notifier = notifierTo(receiver.url("/hook")).deadLetterCap(20)
        .retryPolicy(new RetryPolicy(2, Duration.ofHours(1), Duration.ofSeconds(1),
            Duration.ofSeconds(1)))
        .build();

    for (int i = 0; i < 20; i++) {
      notifier.onNotification(opened("anom-" + i));
    }
    scheduler.runDue();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(receiver.requests()).hasSize(40);
    Set<String> sent = receiver.requests().stream()
        .map(r -> r.header(WebhookSignature.ID_HEADER)).collect(Collectors.toSet());
    List<DeadLetter> dead = notifier.deadLetters();
    assertThat(dead).hasSize(20);
    assertThat(dead.stream().map(DeadLetter::deliveryId).collect(Collectors.toSet()))
        .isEqualTo(sent);
    assertThat(notifier.stats().deadLettersDropped()).isZero();

    for (int i = 20; i < 25; i++) {
      notifier.onNotification(opened("anom-" + i));
    }
    scheduler.runDue();
    scheduler.advance(Duration.ofSeconds(1));
    List<DeadLetter> after = notifier.deadLetters();
    assertThat(after).hasSize(20);
    assertThat(after.subList(0, 15)).isEqualTo(dead.subList(5, 20));
    assertThat(after.subList(15, 20)).extracting(DeadLetter::anomalyId)
        .containsExactlyInAnyOrder("anom-20", "anom-21", "anom-22", "anom-23", "anom-24");
    assertThat(notifier.stats().deadLettersDropped()).isEqualTo(5);
    assertThat(notifier.stats().deadLettered()).isEqualTo(25);
  }

  @Test
  void everyTargetGetsTheNotificationUnderTheSameDeliveryId() throws Exception {
    receiver = new Receiver(n -> Answer.status(200));
    try (Receiver second = new Receiver(n -> Answer.status(200))) {
      notifier = notifierTo(receiver.url("/a"), second.url("/b")).build();
      notifier.onNotification(opened("anom-1"));
      scheduler.runDue();
      assertThat(receiver.requests()).hasSize(1);
      assertThat(second.requests()).hasSize(1);
      assertThat(second.requests().get(0).header(WebhookSignature.ID_HEADER))
          .isEqualTo(receiver.requests().get(0).header(WebhookSignature.ID_HEADER));
      assertThat(notifier.stats().delivered()).isEqualTo(2);
    }
  }

  @Test
  void resolveAndDismissAreSentAsTheirOwnEventsWithTheChange() throws Exception {
    receiver = new Receiver(n -> Answer.status(200));
    notifier = notifierTo(receiver.url("/hook")).build();
    AnomalyNotification open = opened("anom-1");
    notifier.onNotification(TestNotifications.changed(open, AnomalyStatus.RESOLVED,
        "fixed \"the\" firewall", T0.plusSeconds(60)));
    notifier.onNotification(TestNotifications.changed(open, AnomalyStatus.DISMISSED, null,
        T0.plusSeconds(90)));
    scheduler.runDue();

    List<String> bodies = receiver.requests().stream().map(Receiver.Request::bodyText).toList();
    assertThat(bodies).hasSize(2);
    assertThat(bodies.get(0)).contains("\"event\":\"anomaly.resolved\"")
        .contains("\"change\":{\"from\":\"OPEN\",\"to\":\"RESOLVED\","
            + "\"at\":\"2026-03-01T10:01:00Z\",\"origin\":\"USER\","
            + "\"note\":\"fixed \\\"the\\\" firewall\"}")
        .contains("\"eventType\":\"system.alert\"");
    assertThat(bodies.get(1)).contains("\"event\":\"anomaly.dismissed\"")
        .contains("\"note\":null");
    assertThat(receiver.requests().stream().map(r -> r.header("Batanomaly-Event")))
        .containsExactly("anomaly.resolved", "anomaly.dismissed");
  }

  @Test
  void closingMovesPendingRetriesToTheDeadLetterList() throws Exception {
    receiver = new Receiver(n -> Answer.status(502));
    notifier = notifierTo(receiver.url("/hook")).build();
    notifier.onNotification(opened("anom-1"));
    scheduler.runDue();
    assertThat(notifier.stats().pending()).isEqualTo(1);
    notifier.close();
    assertThat(notifier.deadLetters()).singleElement()
        .satisfies(l -> assertThat(l.reason()).isEqualTo("the notifier was closed"));
    assertThat(notifier.stats().pending()).isZero();
  }

  @Test
  void beyondTheMaximumPendingNewDeliveriesGoStraightToTheDeadLetterList() throws Exception {
    receiver = new Receiver(n -> Answer.status(200));
    notifier = notifierTo(receiver.url("/hook")).maxPending(3).build();
    for (int i = 0; i < 5; i++) {
      notifier.onNotification(opened("anom-" + i));
    }
    assertThat(notifier.stats().pending()).isEqualTo(3);
    assertThat(notifier.deadLetters()).extracting(DeadLetter::anomalyId)
        .containsExactly("anom-3", "anom-4");
    assertThat(notifier.deadLetters()).allSatisfy(l ->
        assertThat(l.reason()).isEqualTo("too many deliveries pending (3)"));
    scheduler.runDue();
    assertThat(notifier.stats().delivered()).isEqualTo(3);
    assertThat(notifier.replayAll()).isEqualTo(2);
    scheduler.runDue();
    assertThat(notifier.stats().delivered()).isEqualTo(5);
    assertThat(receiver.requests()).hasSize(5);
  }

  @Test
  void builderRefusesAMissingSecretAndANonHttpTarget() {
    assertThatThrownBy(() -> WebhookNotifier.builder().target(URI.create("ftp://x/y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a webhook target must be an absolute http or https URL, but was 'ftp://x/y'");
    assertThatThrownBy(() -> WebhookNotifier.builder().target(URI.create("http://x/y"))
        .secret(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the webhook signing secret must not be blank, but was ' '");
  }

  @Test
  void deliveryIdsDifferBetweenNotifications() throws Exception {
    receiver = new Receiver(n -> Answer.status(200));
    notifier = notifierTo(receiver.url("/hook")).build();
    for (int i = 0; i < 50; i++) {
      notifier.onNotification(opened("anom-" + i));
    }
    scheduler.runDue();
    Set<String> ids = new HashSet<>();
    receiver.requests().forEach(r -> ids.add(r.header(WebhookSignature.ID_HEADER)));
    assertThat(ids).hasSize(50);
  }
}
