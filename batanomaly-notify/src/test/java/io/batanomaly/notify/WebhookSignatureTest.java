package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_772_359_200L);
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  @Test
  void hmacMatchesTheRfc4231TestVector() {
    byte[] mac = WebhookSignature.hmacSha256("Jefe".getBytes(StandardCharsets.UTF_8),
        "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8));
    assertThat(HexFormat.of().formatHex(mac))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void signsTheStandardWebhooksExampleAsTheSpecificationDoes() {
    // the example of the Standard Webhooks reference libraries' tests
    assertThat(WebhookSignature.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330L,
        "{\"test\": 2432232314}"))
        .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void verifiesAGoodSignatureAndRefusesTamperingAnotherIdOrAStaleTimestamp() {
    String body = "{\"deliveryId\":\"d-1\"}";
    String sig = WebhookSignature.sign(SECRET, "d-1", NOW.getEpochSecond(), body);
    String ts = Long.toString(NOW.getEpochSecond());
    Duration tol = Duration.ofMinutes(5);
    String other = WebhookSignature.newSecret();
    assertThat(WebhookSignature.verify(SECRET, "d-1", ts, body, sig, tol, NOW)).isTrue();
    assertThat(WebhookSignature.verify(SECRET, "d-1", ts, body, "v1,AAAA " + sig, tol, NOW))
        .isTrue();
    assertThat(WebhookSignature.verify(other, "d-1", ts, body, sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "d-2", ts, body, sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "d-1", ts, body + " ", sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "d-1", Long.toString(NOW.getEpochSecond() + 1),
        body, sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "d-1", ts, body, sig, tol, NOW.plusSeconds(301)))
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, "d-1", "soon", body, sig, tol, NOW)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, "d-1", null, body, sig, tol, NOW)).isFalse();
  }

  @Test
  void newSecretsAreWrittenAsTheSpecificationSaysAndBadOnesAreRefusedWithoutShowingThem() {
    String s = WebhookSignature.newSecret();
    assertThat(s).startsWith("whsec_");
    assertThat(WebhookSignature.problem(s)).isNull();
    assertThat(WebhookSignature.newSecret()).isNotEqualTo(s);
    assertThat(WebhookSignature.problem("s3cret")).isEqualTo("must start with whsec_");
    assertThat(WebhookSignature.problem("whsec_c2hvcnQ=")).contains("24 to 64 bytes");
    assertThat(WebhookSignature.problem("whsec_***")).contains("base64");
    assertThatThrownBy(() -> WebhookSignature.sign("whsec_not-base64-and-private", "d", 1, "b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("but was 'whsec_no…'")
        .hasMessageNotContaining("private");
  }
}
