package io.batanomaly.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's verifier written from the Standard Webhooks specification alone, sharing no code
 * with {@link WebhookSignature}: strip {@code whsec_} and base64-decode the secret into the HMAC
 * key; reject a missing header or a timestamp more than the tolerance from the receiver's clock
 * (either way); compute the base64 HMAC-SHA256 of {@code id.timestamp.body}; accept if any
 * space-separated {@code v1,} entry of {@code webhook-signature} equals it (compared in constant
 * time).
 */
final class StandardWebhooksVerifier {
  private final byte[] key;
  private final long toleranceSeconds;

  StandardWebhooksVerifier(String secret, long toleranceSeconds) {
    if (!secret.startsWith("whsec_")) {
      throw new IllegalArgumentException("not a Standard Webhooks secret");
    }
    this.key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
    this.toleranceSeconds = toleranceSeconds;
  }

  /** What the verifier concluded. */
  enum Verdict { VALID, MISSING_HEADER, TIMESTAMP_OUT_OF_TOLERANCE, BAD_SIGNATURE }

  Verdict verify(String id, String timestamp, String signatures, byte[] body, long nowSeconds)
      throws Exception {
    if (id == null || timestamp == null || signatures == null) {
      return Verdict.MISSING_HEADER;
    }
    long ts;
    try {
      ts = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return Verdict.TIMESTAMP_OUT_OF_TOLERANCE;
    }
    if (ts < nowSeconds - toleranceSeconds || ts > nowSeconds + toleranceSeconds) {
      return Verdict.TIMESTAMP_OUT_OF_TOLERANCE;
    }
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    byte[] expected = Base64.getEncoder().encode(mac.doFinal(body));
    boolean valid = false;
    for (String entry : signatures.split(" ")) {
      int comma = entry.indexOf(',');
      if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
        continue;
      }
      byte[] given = entry.substring(comma + 1).getBytes(StandardCharsets.US_ASCII);
      valid |= MessageDigest.isEqual(expected, given);
    }
    return valid ? Verdict.VALID : Verdict.BAD_SIGNATURE;
  }
}
