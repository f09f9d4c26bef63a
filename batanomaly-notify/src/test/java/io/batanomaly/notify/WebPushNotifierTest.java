package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batanomaly.AnomalyConfig;
import io.batanomaly.AnomalyNotification;
import io.batanomaly.internal.TestNotifications;
import io.batanomaly.notify.Receiver.Answer;
import io.batanomaly.testkit.ManualClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WebPushNotifierTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String SUBJECT = "mailto:security@example.com";

  private final ManualClock clock = new ManualClock(T0);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final VapidKeys vapid = VapidKeys.generate();
  private WebPushNotifier notifier;

  /** A browser: its key pair and auth secret. */
  record Browser(KeyPair keys, byte[] auth) {
    static Browser create() {
      byte[] auth = new byte[16];
      new java.security.SecureRandom().nextBytes(auth);
      return new Browser(P256.generate(), auth);
    }

    PushSubscription subscription(URI endpoint) {
      return new PushSubscription(endpoint, P256.b64(P256.encode((ECPublicKey) keys.getPublic())),
          P256.b64(auth));
    }

    String read(byte[] body) {
      return new String(WebPushCryptoTest.decrypt(body, (ECPrivateKey) keys.getPrivate(),
          (ECPublicKey) keys.getPublic(), auth), StandardCharsets.UTF_8);
    }
  }

  @AfterEach
  void tearDown() {
    if (notifier != null) {
      notifier.close();
    }
  }

  private WebPushNotifier build() {
    return WebPushNotifier.builder().vapidKeys(vapid).subject(SUBJECT).clock(clock)
        .scheduler(scheduler).random(new SplittableRandom(1)).ttl(Duration.ofHours(1))
        .requestTimeout(Duration.ofSeconds(5)).build();
  }

  private static AnomalyNotification opened(String id) {
    return TestNotifications.opened(id, "12 failed logins from 10.0.0.7", T0);
  }

  @Test
  void deliversAnEncryptedVapidSignedMessageTheBrowserCanRead() throws Exception {
    Browser browser = Browser.create();
    try (Receiver push = new Receiver(n -> Answer.status(201))) {
      notifier = build();
      notifier.targets().subscribe(Audience.allTenants(), browser.subscription(push.url("/push/abc")));
      notifier.onNotification(opened("anom-1"));
      scheduler.runDue();

      Receiver.Request r = push.requests().get(0);
      assertThat(push.requests()).hasSize(1);
      assertThat(r.path()).isEqualTo("/push/abc");
      assertThat(r.header("Content-Encoding")).isEqualTo("aes128gcm");
      assertThat(r.header("TTL")).isEqualTo("3600");
      assertThat(r.header("Urgency")).isEqualTo("high");
      String message = browser.read(r.body());
      assertThat(message).startsWith("{\"deliveryId\":\"")
          .contains("\"event\":\"anomaly.opened\"", "\"anomalyId\":\"anom-1\"",
              "\"body\":\"12 failed logins from 10.0.0.7\"", "\"severity\":\"HIGH\"");

      String auth = r.header("Authorization");
      assertThat(auth).startsWith("vapid t=").endsWith(", k=" + vapid.publicKeyBase64Url());
      String jwt = auth.substring("vapid t=".length(), auth.indexOf(", k="));
      String[] parts = jwt.split("\\.");
      assertThat(parts).hasSize(3);
      Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
      es256.initVerify(P256.publicKey(P256.unb64(vapid.publicKeyBase64Url())));
      es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      assertThat(es256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
      assertThat(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
          .isEqualTo("{\"typ\":\"JWT\",\"alg\":\"ES256\"}");
      URI origin = push.url("");
      assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
          .isEqualTo("{\"aud\":\"http://127.0.0.1:" + origin.getPort() + "\",\"exp\":"
              + T0.plus(Duration.ofHours(12)).getEpochSecond() + ",\"sub\":\"" + SUBJECT + "\"}");
      assertThat(notifier.stats().delivered()).isEqualTo(1);
    }
  }

  @Test
  void eachMessageIsEncryptedAfresh() throws Exception {
    Browser browser = Browser.create();
    try (Receiver push = new Receiver(n -> Answer.status(201))) {
      notifier = build();
      notifier.targets().subscribe(Audience.allTenants(), browser.subscription(push.url("/p")));
      notifier.onNotification(opened("anom-1"));
      notifier.onNotification(opened("anom-1"));
      scheduler.runDue();
      List<Receiver.Request> got = push.requests();
      assertThat(got).hasSize(2);
      // a fresh salt and server key per message
      assertThat(java.util.Arrays.copyOf(got.get(0).body(), 86))
          .isNotEqualTo(java.util.Arrays.copyOf(got.get(1).body(), 86));
      assertThat(browser.read(got.get(0).body())).contains("\"anomalyId\":\"anom-1\"");
      assertThat(browser.read(got.get(1).body())).contains("\"anomalyId\":\"anom-1\"");
    }
  }

  @Test
  void goneAndNotFoundRemoveTheSubscriptionAndOthersStillReceive() throws Exception {
    try (Receiver live = new Receiver(n -> Answer.status(201));
        Receiver gone = new Receiver(n -> Answer.status(410));
        Receiver missing = new Receiver(n -> Answer.status(404))) {
      notifier = build();
      PushSubscription keep = Browser.create().subscription(live.url("/live"));
      notifier.targets().subscribe(Audience.allTenants(), keep);
      notifier.targets().subscribe(Audience.allTenants(), Browser.create().subscription(gone.url("/gone")));
      notifier.targets().subscribe(Audience.allTenants(), Browser.create().subscription(missing.url("/missing")));

      notifier.onNotification(opened("anom-1"));
      scheduler.runDue();
      assertThat(notifier.targets().subscriptions(Audience.allTenants()))
          .extracting(PushTarget::subscription).containsExactly(keep);
      DeliveryStats s = notifier.stats();
      assertThat(s.gone()).isEqualTo(2);
      assertThat(s.delivered()).isEqualTo(1);
      assertThat(notifier.deadLetters()).isEmpty();

      notifier.onNotification(opened("anom-2"));
      scheduler.runDue();
      assertThat(live.requests()).hasSize(2);
      assertThat(gone.requests()).hasSize(1);
      assertThat(missing.requests()).hasSize(1);
    }
  }

  @Test
  void pushServiceThrottlingIsRetriedAfterItsRetryAfter() throws Exception {
    try (Receiver push = new Receiver(n -> n == 0 ? Answer.status(429, "Retry-After", "10")
        : Answer.status(201))) {
      notifier = build();
      notifier.targets().subscribe(Audience.allTenants(), Browser.create().subscription(push.url("/p")));
      notifier.onNotification(opened("anom-1"));
      scheduler.runDue();
      assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofSeconds(10));
      scheduler.advance(Duration.ofSeconds(10));
      assertThat(push.requests()).hasSize(2);
      assertThat(notifier.stats().delivered()).isEqualTo(1);
    }
  }

  @Test
  void aLongSummaryIsShortenedToFitOneMessage() {
    AnomalyNotification n = TestNotifications.opened("anom-1", "é".repeat(5000), T0);
    String payload = NotificationBody.push(n, "d-1", WebPushCrypto.MAX_PLAINTEXT);
    assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(WebPushCrypto.MAX_PLAINTEXT);
    assertThat(payload).contains("\"anomalyId\":\"anom-1\"").contains("é…\"");
    assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
        .isGreaterThan(WebPushCrypto.MAX_PLAINTEXT - 10);

    AnomalyNotification quotes = TestNotifications.opened("anom-2", "\"".repeat(5000), T0);
    String escaped = NotificationBody.push(quotes, "d-2", WebPushCrypto.MAX_PLAINTEXT);
    assertThat(escaped.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(WebPushCrypto.MAX_PLAINTEXT);
    assertThat(escaped).contains("\\\"…\"");
    assertThat(NotificationBody.push(quotes, "d-2", 100_000)).contains("\\\"".repeat(5000));
  }

  @Test
  void subscriptionsAreCheckedWhenRegistered() {
    String key = Browser.create().subscription(URI.create("https://push.example/x")).p256dh();
    assertThatThrownBy(() -> new PushSubscription(URI.create("ftp://push.example/x"), key,
        "BTBZMqHH6r4Tts7J_aSIgg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a push endpoint must be an absolute https URL, but was 'ftp://push.example/x'");
    assertThatThrownBy(() -> new PushSubscription(URI.create("https://push.example/x"), "AAAA",
        "BTBZMqHH6r4Tts7J_aSIgg"))
        .hasMessage("p256dh must be a base64url uncompressed P-256 point (65 bytes), but was"
            + " 'AAAA'");
    assertThatThrownBy(() -> new PushSubscription(URI.create("https://push.example/x"), key,
        "AAAA"))
        .hasMessage("auth must be 16 bytes in base64url, but was 'AAAA' (3 bytes)");
  }

  @Test
  void vapidKeysRoundTripAndAMismatchedPairIsRefused() {
    VapidKeys again = VapidKeys.of(vapid.publicKeyBase64Url(), vapid.privateKeyBase64Url());
    assertThat(again.publicKeyBase64Url()).isEqualTo(vapid.publicKeyBase64Url());
    VapidKeys other = VapidKeys.generate();
    assertThatThrownBy(() -> VapidKeys.of(other.publicKeyBase64Url(),
        vapid.privateKeyBase64Url()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ANOMALY_WEBPUSH_VAPID_PUBLIC_KEY does not belong to"
            + " ANOMALY_WEBPUSH_VAPID_PRIVATE_KEY");
  }

  @Test
  void settingsNeedBothKeysAndAContact() {
    AnomalyConfig halfKeys = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_WEBPUSH_VAPID_PUBLIC_KEY", vapid.publicKeyBase64Url()).build();
    assertThat(NotifySettings.check(halfKeys)).anySatisfy(m ->
        assertThat(m).startsWith("ANOMALY_WEBPUSH_VAPID_PRIVATE_KEY must be a base64url P-256"
            + " private key (32 bytes), but was a value of 0 characters"))
        .anySatisfy(m -> assertThat(m).isEqualTo("ANOMALY_WEBPUSH_SUBJECT must be a mailto: or"
            + " https: URL when VAPID keys are set, but was ''"));
    AnomalyConfig good = AnomalyConfig.defaults().toBuilder()
        .set("ANOMALY_WEBPUSH_VAPID_PUBLIC_KEY", vapid.publicKeyBase64Url())
        .set("ANOMALY_WEBPUSH_VAPID_PRIVATE_KEY", vapid.privateKeyBase64Url())
        .set("ANOMALY_WEBPUSH_SUBJECT", SUBJECT).build();
    assertThat(NotifySettings.check(good)).isEmpty();
    try (WebPushNotifier fromConfig = WebPushNotifier.fromConfig(good)) {
      assertThat(fromConfig.applicationServerKey()).isEqualTo(vapid.publicKeyBase64Url());
    }
  }
}
