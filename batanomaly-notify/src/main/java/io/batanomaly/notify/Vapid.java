package io.batanomaly.notify;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * VAPID (RFC 8292): the {@code Authorization} header that identifies the application server to
 * a push service. The token is a JWT signed with ES256 (ECDSA P-256 over SHA-256, the signature
 * as the 64-byte {@code r ‖ s}) whose claims are {@code aud}, the origin of the push endpoint,
 * {@code exp}, twelve hours ahead (the RFC allows at most 24), and {@code sub}, the contact.
 * The header reads {@code vapid t=<jwt>, k=<public key, base64url>}.
 */
final class Vapid {
  static final Duration LIFETIME = Duration.ofHours(12);

  private Vapid() {}

  /** Whether a contact is a {@code mailto:} or {@code https:} URL, as the sub claim must be. */
  static boolean isSubject(String subject) {
    String lower = subject == null ? "" : subject.toLowerCase(Locale.ROOT);
    return lower.startsWith("mailto:") || lower.startsWith("https:");
  }

  /** The origin of an endpoint: scheme, host and a port other than the default. */
  static String audience(URI endpoint) {
    String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
    int port = endpoint.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443)
        || (scheme.equals("http") && port == 80);
    return scheme + "://" + endpoint.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + port);
  }

  static String token(VapidKeys keys, String audience, String subject, Instant now) {
    String header = P256.b64("{\"typ\":\"JWT\",\"alg\":\"ES256\"}"
        .getBytes(StandardCharsets.UTF_8));
    StringBuilder claims = new StringBuilder("{\"aud\":");
    Json.string(claims, audience);
    claims.append(",\"exp\":").append(now.plus(LIFETIME).getEpochSecond()).append(",\"sub\":");
    Json.string(claims, subject);
    claims.append('}');
    String signingInput = header + "." + P256.b64(
        claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
      es256.initSign(keys.privateKey());
      es256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + P256.b64(es256.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ES256 signing failed: " + e.getMessage(), e);
    }
  }

  static String authorization(VapidKeys keys, URI endpoint, String subject, Instant now) {
    return "vapid t=" + token(keys, audience(endpoint), subject, now) + ", k="
        + keys.publicKeyBase64Url();
  }
}
