package io.batanomaly.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries as the Standard Webhooks specification says, and verifies them, for
 * receivers written in Java.
 *
 * <p>A delivery carries three headers: {@value #ID_HEADER}, the delivery id (the same for every
 * attempt and replay: a receiver deduplicates on it); {@value #TIMESTAMP_HEADER}, Unix seconds
 * when the attempt was signed; and {@value #SIGNATURE_HEADER}, {@code v1,} followed by the
 * base64 HMAC-SHA256 of {@code id + "." + timestamp + "." + body}. The HMAC key is the secret's
 * bytes: a secret is written {@code whsec_} followed by the base64 of 24 to 64 random bytes
 * ({@link #newSecret()} makes one). A receiver recomputes the signature over the body exactly as
 * received, compares it in constant time with each space-separated {@code v1,} entry of the
 * header, and rejects a timestamp too far from its own clock, which stops an old delivery from
 * being replayed. Each attempt is signed afresh.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class WebhookSignature {

  /** The header holding the delivery id, the same for every attempt of one delivery. */
  public static final String ID_HEADER = "webhook-id";

  /** The header holding the signing time, in Unix seconds. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";

  /** The header holding the signature, {@code v1,<base64>}. */
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** The prefix of a written secret. */
  public static final String SECRET_PREFIX = "whsec_";

  private static final int MIN_KEY_BYTES = 24;
  private static final int MAX_KEY_BYTES = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  private WebhookSignature() {}

  /**
   * Makes a new secret: {@code whsec_} and the base64 of 32 random bytes.
   *
   * @return the secret
   */
  public static String newSecret() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }

  /**
   * Checks that a secret is written as the specification says.
   *
   * @param secret the secret
   * @return {@code null} if it is valid, else why not (without the secret itself)
   */
  public static String problem(String secret) {
    if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
      return "must start with " + SECRET_PREFIX;
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return "must be " + SECRET_PREFIX + " followed by base64";
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      return "must hold " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES + " bytes after "
          + SECRET_PREFIX + ", but holds " + key.length;
    }
    return null;
  }

  /**
   * Returns the HMAC key a secret stands for.
   *
   * @param secret {@code whsec_} and base64
   * @return the key bytes
   * @throws IllegalArgumentException if the secret is not written as the specification says
   */
  static byte[] key(String secret) {
    String problem = problem(secret);
    if (problem != null) {
      throw new IllegalArgumentException("a webhook secret " + problem + ", but was '"
          + masked(secret) + "'");
    }
    return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
  }

  /** The secret as an error message may show it: its first characters only. */
  static String masked(String secret) {
    if (secret == null) {
      return "null";
    }
    return secret.length() <= 8 ? "****" : secret.substring(0, 8) + "…";
  }

  /**
   * Signs one attempt.
   *
   * @param secret the secret, {@code whsec_} and base64
   * @param deliveryId the value of {@value #ID_HEADER}
   * @param epochSeconds the value of {@value #TIMESTAMP_HEADER}
   * @param body the exact request body
   * @return the value of {@value #SIGNATURE_HEADER}, {@code v1,} and base64
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the secret is not written as the specification says
   */
  public static String sign(String secret, String deliveryId, long epochSeconds, String body) {
    Objects.requireNonNull(secret, "secret");
    return sign(key(secret), deliveryId, epochSeconds, body);
  }

  static String sign(byte[] key, String deliveryId, long epochSeconds, String body) {
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(body, "body");
    byte[] content = (deliveryId + "." + epochSeconds + "." + body)
        .getBytes(StandardCharsets.UTF_8);
    return "v1," + Base64.getEncoder().encodeToString(hmacSha256(key, content));
  }

  /**
   * Verifies a delivery as a receiver should.
   *
   * @param secret the secret, {@code whsec_} and base64
   * @param idHeader the value of {@value #ID_HEADER}
   * @param timestampHeader the value of {@value #TIMESTAMP_HEADER}
   * @param body the exact request body
   * @param signatureHeader the value of {@value #SIGNATURE_HEADER}: one or more space-separated
   *     {@code v1,} entries, of which one must match
   * @param tolerance how far the timestamp may be from {@code now}, either way
   * @param now the receiver's clock
   * @return {@code true} if a signature matches and the timestamp is within the tolerance
   * @throws NullPointerException if {@code secret}, {@code body}, {@code tolerance} or
   *     {@code now} is null
   * @throws IllegalArgumentException if the secret is not written as the specification says
   */
  public static boolean verify(String secret, String idHeader, String timestampHeader,
      String body, String signatureHeader, Duration tolerance, Instant now) {
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(tolerance, "tolerance");
    Objects.requireNonNull(now, "now");
    byte[] key = key(secret);
    if (idHeader == null || timestampHeader == null || signatureHeader == null) {
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
    byte[] expected = sign(key, idHeader, ts, body).getBytes(StandardCharsets.US_ASCII);
    boolean match = false;
    for (String candidate : signatureHeader.trim().split(" +")) {
      // every candidate is compared, in constant time, so timing tells nothing
      match |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
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
