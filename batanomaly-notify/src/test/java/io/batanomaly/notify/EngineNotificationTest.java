package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.IngestResult;
import io.batanomaly.api.Anomaly;
import io.batanomaly.api.AnomalyStatus;
import io.batanomaly.spi.Reevaluation;
import io.batanomaly.api.Severity;
import io.batanomaly.api.StatusUpdateRequest;
import io.batanomaly.notify.Receiver.Answer;
import io.batanomaly.spi.Detector;
import io.batanomaly.spi.DetectorContext;
import io.batanomaly.spi.DetectorProvider;
import io.batanomaly.spi.Finding;
import io.batanomaly.spi.FindingSink;
import io.batanomaly.spi.ServiceScope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class EngineNotificationTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  /** Opens one anomaly per identifier it sees. */
  static final class EveryEvent implements DetectorProvider {
    @Override
    public String name() {
      return "every_event";
    }

    @Override
    public Detector create(DetectorContext context) {
      return new Detector() {
        @Override
        public Set<String> types() {
          return Set.of("TEST_ALERT");
        }

        @Override
        public void observe(AuditEvent event, ServiceScope scope, FindingSink sink) {
          sink.report(Finding.builder(event.tenant(), "TEST_ALERT", event.identifier())
              .service(event.service()).severity(Severity.HIGH)
              .summary("alert for " + event.identifier()).build());
        }

        @Override
        public Reevaluation reevaluate(Anomaly anomaly, long nowMillis) {
          return Reevaluation.stillHolds("still there", Map.of());
        }
      };
    }
  }

  private static AnomalyEngine engine(AnomalyConfig config, io.batanomaly.AnomalyListener... l) {
    AnomalyEngine.Builder b = AnomalyEngine.builder().config(config).autoTick(false)
        .discoverDetectors(false).detector(new EveryEvent());
    for (io.batanomaly.AnomalyListener x : l) {
      b.listener(x);
    }
    return b.build();
  }

  private static List<AuditEvent> event(String identifier) {
    return List.of(AuditEvent.builder().tenant("acme-corp").service("billing")
        .timestamp(Instant.now()).method("POST").status(401).identifier(identifier).build());
  }

  @Test
  void engineWithWebhookUrlsPostsSignedSystemAlertsForOpeningAndResolving() throws Exception {
    try (Receiver receiver = new Receiver(n -> Answer.status(200))) {
      AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
          .set("ANOMALY_WEBHOOK_URLS", receiver.url("/hook") + " , " + receiver.url("/second"))
          .set("ANOMALY_WEBHOOK_SECRET", SECRET).build();
      try (AnomalyEngine engine = engine(config)) {
        assertThat(engine.notifier(WebhookNotifier.class)).isPresent();
        assertThat(engine.notifier(WebhookNotifier.class).get().fixedTargets()).hasSize(2);
        engine.ingest(event("10.0.0.7"));
        receiver.awaitRequests(2);
        String id = engine.anomalies().list("acme-corp",
            io.batanomaly.api.AnomalyQuery.defaults()).content().get(0).id();
        engine.anomalies().updateStatus("acme-corp", id,
            new StatusUpdateRequest(AnomalyStatus.RESOLVED, "blocked"), null);
        receiver.awaitRequests(4);
      }
      List<Receiver.Request> got = receiver.requests();
      assertThat(got).hasSize(4);
      assertThat(got).allSatisfy(r -> assertThat(WebhookSignature.verify(SECRET,
          r.header(WebhookSignature.ID_HEADER), r.header(WebhookSignature.TIMESTAMP_HEADER),
          r.bodyText(),
          r.header(WebhookSignature.SIGNATURE_HEADER), Duration.ofMinutes(5), Instant.now()))
          .isTrue());
      assertThat(got.stream().map(r -> r.header("Batanomaly-Event")))
          .containsExactlyInAnyOrder("anomaly.opened", "anomaly.opened", "anomaly.resolved",
              "anomaly.resolved");
      assertThat(got.get(0).bodyText()).contains("\"eventType\":\"system.alert\"")
          .contains("\"anomalyType\":\"TEST_ALERT\"").contains("\"subject\":\"10.0.0.7\"");
    }
  }

  @Test
  void ingestCarriesOnWhileTheReceiverHangsAndNothingIsLostWhenTheEngineCloses()
      throws Exception {
    int anomalies = 300;
    CountDownLatch hostListener = new CountDownLatch(anomalies);
    try (Receiver receiver = new Receiver(n -> Answer.hanging())) {
      AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
          .set("ANOMALY_WEBHOOK_URLS", receiver.url("/hook").toString())
          .set("ANOMALY_WEBHOOK_SECRET", SECRET)
          .set("ANOMALY_WEBHOOK_REQUEST_TIMEOUT", "10m").build();
      AnomalyEngine engine = engine(config, n -> hostListener.countDown());
      for (int i = 0; i < anomalies; i++) {
        IngestResult r = engine.ingest(event("10.0.0." + i));
        assertThat(r.accepted()).isEqualTo(1);
      }
      assertThat(engine.health().anomaliesOpened()).isEqualTo(anomalies);
      assertThat(hostListener.await(30, TimeUnit.SECONDS)).isTrue();
      receiver.awaitRequests(1);
      WebhookNotifier webhooks = engine.notifier(WebhookNotifier.class).orElseThrow();
      while (webhooks.stats().submitted() < anomalies) {
        Thread.onSpinWait();
      }
      DeliveryStats during = webhooks.stats();
      assertThat(during.delivered()).isZero();
      assertThat(during.pending()).isEqualTo(anomalies);
      assertThat(engine.health().notificationsDropped()).isZero();

      engine.close();
      List<DeadLetter> dead = webhooks.deadLetters();
      assertThat(dead).hasSize(anomalies);
      assertThat(dead.stream().map(DeadLetter::anomalyId).distinct()).hasSize(anomalies);
      assertThat(webhooks.stats().pending()).isZero();
    }
  }

  @Test
  void engineListenerPushesAnEncryptedAlertToASubscribedBrowser() throws Exception {
    java.security.KeyPair browser = P256.generate();
    byte[] auth = new byte[16];
    new java.security.SecureRandom().nextBytes(auth);
    try (Receiver pushService = new Receiver(n -> Answer.status(201));
        WebPushNotifier push = WebPushNotifier.builder().vapidKeys(VapidKeys.generate())
            .subject("mailto:security@example.com").build()) {
      push.targets().subscribe(Audience.of("acme-corp"), new PushSubscription(pushService.url("/push/1"),
          P256.b64(P256.encode((java.security.interfaces.ECPublicKey) browser.getPublic())),
          P256.b64(auth)));
      try (AnomalyEngine engine = engine(AnomalyConfig.defaults(), push)) {
        IngestResult r = engine.ingest(event("10.0.0.9"));
        String id = r.opened().get(0).id();
        pushService.awaitRequests(1);
        String message = new String(WebPushCryptoTest.decrypt(pushService.requests().get(0).body(),
            (java.security.interfaces.ECPrivateKey) browser.getPrivate(),
            (java.security.interfaces.ECPublicKey) browser.getPublic(), auth),
            java.nio.charset.StandardCharsets.UTF_8);
        assertThat(message).contains("\"anomalyId\":\"" + id + "\"")
            .contains("\"event\":\"anomaly.opened\"").contains("\"type\":\"TEST_ALERT\"");
      }
    }
  }

  @Test
  void buildListsEveryInvalidNotificationSetting() {
    AnomalyConfig bad = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_WEBHOOK_URLS", "ftp://example.com/hook")
        .set("ANOMALY_WEBHOOK_MAX_ATTEMPTS", "0").build();
    assertThatThrownBy(() -> engine(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_WEBHOOK_URLS must be a comma-separated list of absolute"
            + " http or https URLs, but was 'ftp://example.com/hook'")
        .hasMessageContaining("ANOMALY_WEBHOOK_MAX_ATTEMPTS must be a positive whole number,"
            + " but was '0'");
    AnomalyConfig noSecret = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_WEBHOOK_URLS", "https://example.com/hook").build();
    assertThatThrownBy(() -> engine(noSecret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_WEBHOOK_SECRET must be set when ANOMALY_WEBHOOK_URLS is,"
            + " but was ''");
    AnomalyConfig plainSecret = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_WEBHOOK_URLS", "https://example.com/hook")
        .set("ANOMALY_WEBHOOK_SECRET", "a-plain-password").build();
    assertThatThrownBy(() -> engine(plainSecret))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ANOMALY_WEBHOOK_SECRET must start with whsec_ (Standard Webhooks:"
            + " whsec_ and the base64 of 24 to 64 random bytes; WebhookSignature.newSecret()"
            + " makes one), but was 'a-plain-…'")
        .hasMessageNotContaining("password");
    AnomalyConfig zeroTimeout = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_WEBHOOK_REQUEST_TIMEOUT", "0").build();
    assertThatThrownBy(() -> engine(zeroTimeout))
        .hasMessageContaining("ANOMALY_WEBHOOK_REQUEST_TIMEOUT must be a positive duration,"
            + " but was '0'");
  }

  @Test
  void configurationTextMasksTheSigningSecretAndThePrivateKey() {
    AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_WEBHOOK_URLS", "https://example.com/hook")
        .set("ANOMALY_WEBHOOK_SECRET", "top-secret-value")
        .set("ANOMALY_WEBPUSH_VAPID_PRIVATE_KEY", "private-scalar").build();
    assertThat(config.toString()).contains("ANOMALY_WEBHOOK_URLS=https://example.com/hook")
        .contains("ANOMALY_WEBHOOK_SECRET=****").doesNotContain("top-secret-value")
        .doesNotContain("private-scalar");
  }

  @Test
  void aProviderTheHostConfiguredTakesThePlaceOfTheDiscoveredOne() throws Exception {
    NotificationTargets registry = NotificationTargets.inMemory();
    Outbox outbox = Outbox.inMemory(5);
    try (Receiver receiver = new Receiver(n -> Answer.status(204));
        AnomalyEngine engine = AnomalyEngine.builder().autoTick(false)
            .discoverDetectors(false).detector(new EveryEvent())
            .notifier(NotifyProvider.builder().targets(registry).webhookOutbox(outbox).build())
            .build()) {
      assertThat(engine.notifiers()).hasSize(1);
      WebhookNotifier webhooks = engine.notifier(WebhookNotifier.class).orElseThrow();
      assertThat(webhooks.targets()).isSameAs(registry);
      assertThat(webhooks.fixedTargets()).isEmpty();
      registry.addWebhook(Audience.of("acme-corp"), receiver.url("/acme"));
      engine.ingest(event("10.0.0.3"));
      receiver.awaitRequests(1);
      assertThat(receiver.requests()).singleElement()
          .satisfies(r -> assertThat(r.path()).isEqualTo("/acme"));
    }
  }

  @Test
  void twoNotifierProvidersOfDifferentClassesWithOneNameFailTheBuildNamingBoth() {
    io.batanomaly.spi.NotifierProvider impostor = new io.batanomaly.spi.NotifierProvider() {
      @Override
      public String name() {
        return "notify";
      }

      @Override
      public List<io.batanomaly.AnomalyListener> create(
          io.batanomaly.spi.NotifierContext context) {
        return List.of();
      }
    };
    assertThatThrownBy(() -> AnomalyEngine.builder().autoTick(false).notifier(impostor).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Two notifier providers are named 'notify'")
        .hasMessageContaining(NotifyProvider.class.getName());
  }

  @Test
  void engineWithoutWebhookUrlsHasNoWebhookNotifier() {
    try (AnomalyEngine engine = engine(AnomalyConfig.defaults())) {
      assertThat(engine.notifier(WebhookNotifier.class)).isEmpty();
    }
  }
}
