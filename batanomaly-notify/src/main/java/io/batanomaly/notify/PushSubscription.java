package io.batanomaly.notify;

import java.net.URI;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * A browser's push subscription, as {@code PushSubscription.toJSON()} gives it: the push
 * service endpoint and the two keys that encrypt messages for that browser.
 *
 * @param endpoint the push endpoint URL (https in production; http is accepted for local tests)
 * @param p256dh the browser's P-256 public key, base64url (65 bytes, uncompressed)
 * @param auth the browser's authentication secret, base64url (16 bytes)
 */
public record PushSubscription(URI endpoint, String p256dh, String auth) {

  /**
   * Checks the subscription.
   *
   * @throws NullPointerException if a field is null
   * @throws IllegalArgumentException if the endpoint is not an absolute http(s) URL, or a key is
   *     not valid base64url of the right length, or {@code p256dh} is not a point on P-256
   */
  public PushSubscription {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(p256dh, "p256dh");
    Objects.requireNonNull(auth, "auth");
    if (!HttpNotifier.isHttpUrl(endpoint)) {
      throw new IllegalArgumentException(
          "a push endpoint must be an absolute https URL, but was '" + endpoint + "'");
    }
    try {
      P256.publicKey(P256.unb64(p256dh));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("p256dh must be a base64url uncompressed P-256 point"
          + " (65 bytes), but was '" + p256dh + "'", e);
    }
    byte[] secret;
    try {
      secret = P256.unb64(auth);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "auth must be 16 bytes in base64url, but was '" + auth + "'", e);
    }
    if (secret.length != 16) {
      throw new IllegalArgumentException("auth must be 16 bytes in base64url, but was '" + auth
          + "' (" + secret.length + " bytes)");
    }
  }

  ECPublicKey publicKey() {
    return P256.publicKey(P256.unb64(p256dh));
  }

  byte[] authSecret() {
    return P256.unb64(auth);
  }
}
