package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_772_359_200L);

  @Test
  void hmacMatchesTheRfc4231TestVector() {
    byte[] mac = WebhookSignature.hmacSha256("Jefe".getBytes(StandardCharsets.UTF_8),
        "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));
    assertThat(HexFormat.of().formatHex(mac))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void signsTimestampDotBody() {
    String body = "{\"a\":1}";
    String expected = "v1=" + HexFormat.of().formatHex(WebhookSignature.hmacSha256(
        "s3cret".getBytes(StandardCharsets.UTF_8),
        ("1772359200." + body).getBytes(StandardCharsets.UTF_8)));
    assertThat(WebhookSignature.sign("s3cret", 1_772_359_200L, body)).isEqualTo(expected);
  }

  @Test
  void verifiesAGoodSignatureAndRefusesTamperingOrAStaleTimestamp() {
    String body = "{\"deliveryId\":\"d-1\"}";
    String sig = WebhookSignature.sign("s3cret", NOW.getEpochSecond(), body);
    String ts = Long.toString(NOW.getEpochSecond());
    Duration tol = Duration.ofMinutes(5);
    assertThat(WebhookSignature.verify("s3cret", ts, body, sig, tol, NOW)).isTrue();
    assertThat(WebhookSignature.verify("s3cret", ts, body, "v1=00, " + sig, tol, NOW)).isTrue();
    assertThat(WebhookSignature.verify("other", ts, body, sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", ts, body + " ", sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", Long.toString(NOW.getEpochSecond() + 1), body,
        sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", ts, body, sig, tol, NOW.plusSeconds(301)))
        .isFalse();
    assertThat(WebhookSignature.verify("s3cret", "soon", body, sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify("s3cret", null, body, sig, tol, NOW)).isFalse();
  }
}
