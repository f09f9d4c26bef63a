package io.batanomaly.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.batanomaly.notify.Audience;
import io.batanomaly.notify.DeadLetter;
import io.batanomaly.notify.NotificationTargets;
import io.batanomaly.notify.Outbox;
import io.batanomaly.notify.OutboxEntry;
import io.batanomaly.notify.PushSubscription;
import io.batanomaly.notify.WebhookTarget;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What the notification tables must do on each database: an outbox keeps pending deliveries and
 * dead letters across a reopen, bounds the dead letters, hands each dead letter to one taker;
 * targets are kept per tenant.
 */
abstract class NotificationStoreContract {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  /** @return a store on a new, empty database */
  abstract JdbcStore newStore();

  /** @return a new store over the same database, as a restarted process opens it */
  abstract JdbcStore reopen(JdbcStore store);

  private static OutboxEntry entry(String id, String target, int attempts) {
    return new OutboxEntry(id, target, "acme-corp", "anomaly.opened", "anom-" + id,
        "{\"deliveryId\":\"" + id + "\"}", T0, attempts, T0.plusSeconds(attempts), 0, "");
  }

  @Test
  void pendingDeliveriesAndDeadLettersSurviveAReopen() {
    JdbcStore store = newStore();
    Outbox outbox = JdbcNotificationStore.on(store).outbox("webhook", 10);
    assertThat(outbox.durable()).isTrue();
    outbox.add(entry("d-1", "t-1", 0));
    outbox.add(entry("d-1", "t-2", 0));
    outbox.add(entry("d-2", "t-1", 0));
    outbox.update(new OutboxEntry("d-1", "t-1", "acme-corp", "anomaly.opened", "anom-d-1",
        "{\"deliveryId\":\"d-1\"}", T0, 3, T0.plusSeconds(30), 503, "HTTP 503"));
    outbox.remove("d-2", "t-1");
    outbox.deadLetter(entry("d-1", "t-2", 2), T0.plusSeconds(60), "refused with HTTP 400");
    // another channel's rows are its own
    JdbcNotificationStore.on(store).outbox("webpush", 10).add(entry("d-9", "t-9", 0));

    Outbox again = JdbcNotificationStore.on(reopen(store)).outbox("webhook", 10);
    assertThat(again.pending()).singleElement().satisfies(e -> {
      assertThat(e.deliveryId()).isEqualTo("d-1");
      assertThat(e.targetId()).isEqualTo("t-1");
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.nextAttemptAt()).isEqualTo(T0.plusSeconds(30));
      assertThat(e.lastStatus()).isEqualTo(503);
      assertThat(e.lastReason()).isEqualTo("HTTP 503");
      assertThat(e.body()).isEqualTo("{\"deliveryId\":\"d-1\"}");
      assertThat(e.createdAt()).isEqualTo(T0);
    });
    assertThat(again.deadLetters()).singleElement().satisfies(l -> {
      assertThat(l.deliveryId()).isEqualTo("d-1");
      assertThat(l.targetId()).isEqualTo("t-2");
      assertThat(l.tenant()).isEqualTo("acme-corp");
      assertThat(l.attempts()).isEqualTo(2);
      assertThat(l.failedAt()).isEqualTo(T0.plusSeconds(60));
      assertThat(l.reason()).isEqualTo("refused with HTTP 400");
    });
  }

  @Test
  void deadLettersAreBoundedOldestFirstAndEachIsTakenOnce() {
    JdbcStore store = newStore();
    Outbox outbox = JdbcNotificationStore.on(store).outbox("webhook", 3);
    int dropped = 0;
    for (int i = 0; i < 5; i++) {
      dropped += outbox.deadLetter(entry("d-" + i, "t", 1), T0.plusSeconds(i), "gave up");
    }
    assertThat(dropped).isEqualTo(2);
    assertThat(outbox.deadLetters()).extracting(DeadLetter::deliveryId)
        .containsExactly("d-2", "d-3", "d-4");
    Outbox other = JdbcNotificationStore.on(reopen(store)).outbox("webhook", 3);
    assertThat(outbox.takeDeadLetters("d-3")).extracting(DeadLetter::deliveryId)
        .containsExactly("d-3");
    assertThat(other.takeDeadLetters("d-3")).isEmpty();
    assertThat(other.takeDeadLetters(null)).extracting(DeadLetter::deliveryId)
        .containsExactly("d-2", "d-4");
    assertThat(outbox.deadLetters()).isEmpty();
  }

  @Test
  void targetsAreKeptPerTenantAcrossAReopen() throws Exception {
    JdbcStore store = newStore();
    NotificationTargets targets =
        NotificationTargets.on(JdbcNotificationStore.on(store).targets());
    WebhookTarget a = targets.addWebhook(Audience.of("tenant-a"), URI.create("https://a/h"));
    WebhookTarget all = targets.addWebhook(Audience.allTenants(), URI.create("https://ops/h"));
    targets.addWebhook(Audience.of("tenant-b"), URI.create("https://b/h"));
    PushSubscription browser = new PushSubscription(URI.create("https://push.example/a"),
        p256dh(), Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]));
    targets.subscribe(Audience.of("tenant-a"), browser);

    NotificationTargets again =
        NotificationTargets.on(JdbcNotificationStore.on(reopen(store)).targets());
    assertThat(again.store().webhooks("tenant-a")).containsExactlyInAnyOrder(a, all);
    assertThat(again.store().webhook(a.id())).contains(a);
    assertThat(again.webhooks(Audience.of("tenant-a"))).containsExactly(a);
    assertThat(again.store().subscriptions("tenant-a")).singleElement()
        .satisfies(t -> assertThat(t.subscription()).isEqualTo(browser));
    assertThat(again.store().subscriptions("tenant-b")).isEmpty();
    assertThat(again.removeWebhook(Audience.of("tenant-b"), a.id())).isFalse();
    assertThat(again.removeWebhook(Audience.of("tenant-a"), a.id())).isTrue();
    assertThat(again.unsubscribe(Audience.of("tenant-a"), browser.endpoint())).isTrue();
    assertThat(targets.store().webhooks("tenant-a")).containsExactly(all);
  }

  private static String p256dh() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    ECPublicKey k = (ECPublicKey) g.generateKeyPair().getPublic();
    byte[] point = new byte[65];
    point[0] = 4;
    byte[] x = k.getW().getAffineX().toByteArray();
    byte[] y = k.getW().getAffineY().toByteArray();
    System.arraycopy(x, Math.max(0, x.length - 32), point, 1 + 32 - Math.min(32, x.length),
        Math.min(32, x.length));
    System.arraycopy(y, Math.max(0, y.length - 32), point, 33 + 32 - Math.min(32, y.length),
        Math.min(32, y.length));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(point);
  }
}
