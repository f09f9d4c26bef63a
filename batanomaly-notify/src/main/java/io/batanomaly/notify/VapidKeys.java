package io.batanomaly.notify;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Objects;

/**
 * The application server's VAPID key pair (RFC 8292): a P-256 key whose public half browsers
 * subscribe with ({@code applicationServerKey}) and whose private half signs the JWT each push
 * request carries. Generate one once with {@link #generate()}, store
 * {@link #publicKeyBase64Url()} and {@link #privateKeyBase64Url()} as
 * {@code ANOMALY_WEBPUSH_VAPID_PUBLIC_KEY} and {@code ANOMALY_WEBPUSH_VAPID_PRIVATE_KEY}, and
 * keep using it: subscriptions are bound to it.
 *
 * <p>Immutable and thread-safe.
 */
public final class VapidKeys {
  private final ECPublicKey publicKey;
  private final ECPrivateKey privateKey;

  private VapidKeys(ECPublicKey publicKey, ECPrivateKey privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /**
   * Generates a new key pair.
   *
   * @return the keys
   */
  public static VapidKeys generate() {
    KeyPair kp = P256.generate();
    return new VapidKeys((ECPublicKey) kp.getPublic(), (ECPrivateKey) kp.getPrivate());
  }

  /**
   * Reads a key pair in the raw base64url forms.
   *
   * @param publicKey the uncompressed public point, 65 bytes, base64url
   * @param privateKey the private scalar, 32 bytes, base64url
   * @return the keys
   * @throws IllegalArgumentException if either is not valid base64url of the right length, the
   *     point is not on P-256, or the two do not belong together
   */
  public static VapidKeys of(String publicKey, String privateKey) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
    ECPublicKey pub;
    ECPrivateKey priv;
    try {
      pub = P256.publicKey(P256.unb64(publicKey));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(NotifySettings.WEBPUSH_VAPID_PUBLIC_KEY.key()
          + " must be a base64url uncompressed P-256 point (65 bytes), but was '" + publicKey
          + "': " + e.getMessage(), e);
    }
    try {
      priv = P256.privateKey(P256.unb64(privateKey));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY.key()
          + " must be a base64url P-256 private key (32 bytes), but was a value of "
          + privateKey.length() + " characters: " + e.getMessage(), e);
    }
    if (!belongTogether(pub, priv)) {
      throw new IllegalArgumentException(NotifySettings.WEBPUSH_VAPID_PUBLIC_KEY.key()
          + " does not belong to " + NotifySettings.WEBPUSH_VAPID_PRIVATE_KEY.key()
          + ": a signature made with the private key does not verify with the public key '"
          + publicKey + "'");
    }
    return new VapidKeys(pub, priv);
  }

  private static boolean belongTogether(ECPublicKey pub, ECPrivateKey priv) {
    try {
      byte[] probe = "batanomaly VAPID key check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
      signer.initSign(priv);
      signer.update(probe);
      byte[] sig = signer.sign();
      java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(pub);
      verifier.update(probe);
      return verifier.verify(sig);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** @return the public key as an uncompressed point in base64url, the applicationServerKey */
  public String publicKeyBase64Url() {
    return P256.b64(P256.encode(publicKey));
  }

  /** @return the private key's scalar in base64url; keep it secret */
  public String privateKeyBase64Url() {
    return P256.b64(P256.encode(privateKey));
  }

  ECPublicKey publicKey() {
    return publicKey;
  }

  ECPrivateKey privateKey() {
    return privateKey;
  }

  @Override
  public String toString() {
    return "VapidKeys[public=" + publicKeyBase64Url() + "]";
  }
}
