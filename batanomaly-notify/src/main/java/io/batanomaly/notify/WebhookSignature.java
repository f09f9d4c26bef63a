package io.batanomaly.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries and verifies them, for receivers written in Java.
 *
 * <p>A delivery carries {@value #TIMESTAMP_HEADER} (Unix seconds when the attempt was sent) and
 * {@value #SIGNATURE_HEADER}: {@code v1=} followed by the lower-case hex HMAC-SHA256, keyed with
 * the shared secret (its UTF-8 bytes), of the timestamp, a full stop and the raw request body:
 * {@code HMAC(secret, timestamp + "." + body)}. A receiver recomputes it over the body exactly
 * as received, compares in constant time, and rejects a timestamp too far from its own clock,
 * which stops an old delivery from being replayed. Each attempt is signed afresh.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class WebhookSignature {

  /** The header holding the delivery id, the same for every attempt of one delivery. */
  public static final String DELIVERY_HEADER = "Batanomaly-Delivery";

  /** The header holding the signing time, in Unix seconds. */
  public static final String TIMESTAMP_HEADER = "Batanomaly-Timestamp";

  /** The header holding the signature, {@code v1=<hex>}. */
  public static final String SIGNATURE_HEADER = "Batanomaly-Signature";

  private WebhookSignature() {}

  /**
   * Signs a body.
   *
   * @param secret the shared secret
   * @param epochSeconds the timestamp sent in {@value #TIMESTAMP_HEADER}
   * @param body the exact request body
   * @return the value of {@value #SIGNATURE_HEADER}, {@code v1=} and 64 hex digits
   * @throws NullPointerException if {@code secret} or {@code body} is null
   */
  public static String sign(String secret, long epochSeconds, String body) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(body, "body");
    return "v1=" + HexFormat.of().formatHex(
        hmacSha256(secret.getBytes(StandardCharsets.UTF_8),
            (epochSeconds + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Verifies a delivery as a receiver should.
   *
   * @param secret the shared secret
   * @param timestampHeader the value of {@value #TIMESTAMP_HEADER}
   * @param body the exact request body
   * @param signatureHeader the value of {@value #SIGNATURE_HEADER}; several comma-separated
   *     {@code v1=} values are accepted if any one matches
   * @param tolerance how far the timestamp may be from {@code now}, either way
   * @param now the receiver's clock
   * @return {@code true} if the signature matches and the timestamp is within the tolerance
   * @throws NullPointerException if {@code secret}, {@code body}, {@code tolerance} or
   *     {@code now} is null
   */
  public static boolean verify(String secret, String timestampHeader, String body,
      String signatureHeader, Duration tolerance, Instant now) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(body, "body");
    if (timestampHeader == null || signatureHeader == null) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = sign(secret, ts, body).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String candidate : signatureHeader.split(",")) {
      // every candidate is compared, in constant time, so timing tells nothing
      match |= MessageDigest.isEqual(expected,
          candidate.trim().getBytes(StandardCharsets.US_ASCII));
    }
    return match;
  }

  static byte[] hmacSha256(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
