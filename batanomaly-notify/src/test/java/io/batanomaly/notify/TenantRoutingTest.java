package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyEngine;
import io.batanomaly.AuditEvent;
import io.batanomaly.notify.Receiver.Answer;
import io.batanomaly.notify.StandardWebhooksVerifier.Verdict;
import io.batanomaly.notify.WebPushNotifierTest.Browser;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tenant A's webhook and browser never receive tenant B's anomaly, and B's never A's; the
 * all-tenant webhook of {@code ANOMALY_WEBHOOK_URLS} and an all-tenant browser get both. The
 * engine creates both notifiers from its settings alone, on one registry.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TenantRoutingTest {
  private static final String OPERATOR_SECRET = WebhookSignature.newSecret();

  private static List<AuditEvent> event(String tenant, String identifier) {
    return List.of(AuditEvent.builder().tenant(tenant).service("billing")
        .timestamp(Instant.now()).method("POST").status(401).identifier(identifier).build());
  }

  @Test
  void eachTenantsTargetsGetOnlyItsOwnAnomaliesAndAllTenantTargetsGetBoth() throws Exception {
    VapidKeys vapid = VapidKeys.generate();
    Browser browserA = Browser.create();
    Browser browserB = Browser.create();
    Browser operatorBrowser = Browser.create();
    try (Receiver operatorHook = new Receiver(n -> Answer.status(204));
        Receiver hookA = new Receiver(n -> Answer.status(204));
        Receiver hookB = new Receiver(n -> Answer.status(204));
        Receiver pushService = new Receiver(n -> Answer.status(201))) {
      AnomalyConfig config = AnomalyConfig.defaults().toBuilder()
          .set("ANOMALY_WEBHOOK_URLS", operatorHook.url("/all").toString())
          .set("ANOMALY_WEBHOOK_SECRET", OPERATOR_SECRET)
          .set("ANOMALY_WEBPUSH_VAPID_PUBLIC_KEY", vapid.publicKeyBase64Url())
          .set("ANOMALY_WEBPUSH_VAPID_PRIVATE_KEY", vapid.privateKeyBase64Url())
          .set("ANOMALY_WEBPUSH_SUBJECT", "mailto:security@example.com").build();
      AnomalyEngine engine = AnomalyEngine.builder().config(config).autoTick(false)
          .discoverDetectors(false).detector(new EngineNotificationTest.EveryEvent()).build();
      WebhookNotifier webhooks = engine.notifier(WebhookNotifier.class).orElseThrow();
      WebPushNotifier push = engine.notifier(WebPushNotifier.class).orElseThrow();
      assertThat(push.targets()).isSameAs(webhooks.targets());
      assertThat(push.applicationServerKey()).isEqualTo(vapid.publicKeyBase64Url());
      NotificationTargets targets = webhooks.targets();
      WebhookTarget a = targets.addWebhook(Audience.of("tenant-a"), hookA.url("/a"));
      WebhookTarget b = targets.addWebhook(Audience.of("tenant-b"), hookB.url("/b"));
      assertThat(a.secret()).isNotEqualTo(b.secret()).isNotEqualTo(OPERATOR_SECRET);
      targets.subscribe(Audience.of("tenant-a"), browserA.subscription(pushService.url("/a")));
      targets.subscribe(Audience.of("tenant-b"), browserB.subscription(pushService.url("/b")));
      targets.subscribe(Audience.allTenants(),
          operatorBrowser.subscription(pushService.url("/all")));

      engine.ingest(event("tenant-a", "10.0.0.1"));
      engine.ingest(event("tenant-b", "10.0.0.2"));
      // the test's timeout bounds these waits for the deliveries' acknowledgements
      while (webhooks.stats().delivered() < 4 || push.stats().delivered() < 4) {
        Thread.onSpinWait();
      }
      engine.close();

      // exactly what routing allows was ever submitted: nothing else is in flight
      assertThat(webhooks.stats().submitted()).isEqualTo(4);
      assertThat(webhooks.stats().delivered()).isEqualTo(4);
      assertThat(push.stats().submitted()).isEqualTo(4);
      assertThat(push.stats().delivered()).isEqualTo(4);

      assertThat(hookA.requests()).singleElement().satisfies(r -> {
        assertThat(r.bodyText()).contains("\"tenant\":\"tenant-a\"")
            .doesNotContain("tenant-b").doesNotContain("10.0.0.2");
        assertThat(verdict(a.secret(), r)).isEqualTo(Verdict.VALID);
        assertThat(verdict(b.secret(), r)).isEqualTo(Verdict.BAD_SIGNATURE);
      });
      assertThat(hookB.requests()).singleElement().satisfies(r -> {
        assertThat(r.bodyText()).contains("\"tenant\":\"tenant-b\"")
            .doesNotContain("tenant-a").doesNotContain("10.0.0.1");
        assertThat(verdict(b.secret(), r)).isEqualTo(Verdict.VALID);
      });
      assertThat(operatorHook.requests()).hasSize(2)
          .allSatisfy(r -> assertThat(verdict(OPERATOR_SECRET, r)).isEqualTo(Verdict.VALID))
          .extracting(Receiver.Request::bodyText)
          .anySatisfy(body -> assertThat(body).contains("\"tenant\":\"tenant-a\""))
          .anySatisfy(body -> assertThat(body).contains("\"tenant\":\"tenant-b\""));

      List<Receiver.Request> pushed = pushService.requests();
      assertThat(pushed.stream().filter(r -> r.path().equals("/a")))
          .singleElement().satisfies(r -> assertThat(browserA.read(r.body()))
              .contains("\"tenant\":\"tenant-a\"").doesNotContain("tenant-b"));
      assertThat(pushed.stream().filter(r -> r.path().equals("/b")))
          .singleElement().satisfies(r -> assertThat(browserB.read(r.body()))
              .contains("\"tenant\":\"tenant-b\"").doesNotContain("tenant-a"));
      assertThat(pushed.stream().filter(r -> r.path().equals("/all"))
          .map(r -> operatorBrowser.read(r.body())))
          .hasSize(2)
          .anySatisfy(m -> assertThat(m).contains("\"tenant\":\"tenant-a\""))
          .anySatisfy(m -> assertThat(m).contains("\"tenant\":\"tenant-b\""));
    }
  }

  @Test
  void aTenantCanNeitherListNorRemoveAnotherTenantsTargets() throws Exception {
    NotificationTargets targets = NotificationTargets.inMemory();
    try (Receiver hook = new Receiver(n -> Answer.status(204))) {
      WebhookTarget a = targets.addWebhook(Audience.of("tenant-a"), hook.url("/a"));
      targets.addWebhook(Audience.allTenants(), hook.url("/all"));
      assertThat(targets.webhooks(Audience.of("tenant-b"))).isEmpty();
      assertThat(targets.webhooks(Audience.of("tenant-a"))).containsExactly(a);
      assertThat(targets.removeWebhook(Audience.of("tenant-b"), a.id())).isFalse();
      assertThat(targets.store().webhooks("tenant-a")).hasSize(2);
      assertThat(targets.removeWebhook(Audience.of("tenant-a"), a.id())).isTrue();
      assertThat(targets.store().webhooks("tenant-a")).hasSize(1);
      assertThat(a.toString()).doesNotContain(a.secret());
    }
  }

  private static Verdict verdict(String secret, Receiver.Request r) throws Exception {
    return new StandardWebhooksVerifier(secret, 300).verify(r.header("webhook-id"),
        r.header("webhook-timestamp"), r.header("webhook-signature"), r.body(),
        Instant.now().getEpochSecond());
  }
}
