package io.batanomaly.notify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message encryption for Web Push (RFC 8291) in the {@code aes128gcm} content coding
 * (RFC 8188), as one record.
 *
 * <ol>
 *   <li>{@code ecdh_secret = ECDH(as_private, ua_public)}, P-256, the X coordinate;
 *   <li>{@code PRK_key = HMAC-SHA-256(auth_secret, ecdh_secret)};
 *       {@code IKM = HMAC-SHA-256(PRK_key, "WebPush: info" ‖ 0x00 ‖ ua_public ‖ as_public ‖
 *       0x01)} — HKDF with the auth secret as salt;
 *   <li>{@code PRK = HMAC-SHA-256(salt, IKM)}; {@code CEK} = the first 16 bytes of
 *       {@code HMAC-SHA-256(PRK, "Content-Encoding: aes128gcm" ‖ 0x00 ‖ 0x01)}, {@code NONCE}
 *       the first 12 of {@code HMAC-SHA-256(PRK, "Content-Encoding: nonce" ‖ 0x00 ‖ 0x01)};
 *   <li>the record is {@code plaintext ‖ 0x02} (the last-record delimiter, no padding),
 *       sealed with AES-128-GCM under CEK and NONCE (sequence number 0);
 *   <li>the body is the header {@code salt(16) ‖ rs(4, big-endian) ‖ idlen(1) = 65 ‖
 *       as_public(65)} followed by the sealed record.
 * </ol>
 *
 * <p>The salt and the application server key pair must be fresh for every message; only the
 * test of the RFC's worked example passes fixed ones.
 */
final class WebPushCrypto {
  /** The record size written in the header. */
  static final int RECORD_SIZE = 4096;
  /** The header length: salt, record size, key id length and the 65-byte key id. */
  static final int HEADER_LENGTH = 16 + 4 + 1 + 65;
  /** The largest plaintext that keeps the whole body within 4096 bytes. */
  static final int MAX_PLAINTEXT = 4096 - HEADER_LENGTH - 16 - 1;

  private static final byte[] KEY_INFO = "WebPush: info\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CEK_INFO =
      "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NONCE_INFO =
      "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);

  private WebPushCrypto() {}

  /**
   * Encrypts a message for one subscription.
   *
   * @param plaintext the message, at most {@link #MAX_PLAINTEXT} bytes
   * @param uaPublic the subscription's {@code p256dh} key
   * @param authSecret the subscription's {@code auth} secret, 16 bytes
   * @param asKeys the application server's key pair for this message
   * @param salt 16 random bytes
   * @return the request body
   */
  static byte[] encrypt(byte[] plaintext, ECPublicKey uaPublic, byte[] authSecret,
      KeyPair asKeys, byte[] salt) {
    if (plaintext.length > MAX_PLAINTEXT) {
      throw new IllegalArgumentException("a push message holds at most " + MAX_PLAINTEXT
          + " bytes of plaintext, but was " + plaintext.length + " bytes");
    }
    if (salt.length != 16) {
      throw new IllegalArgumentException("the salt must be 16 bytes, but was " + salt.length);
    }
    try {
      byte[] uaRaw = P256.encode(uaPublic);
      byte[] asRaw = P256.encode((ECPublicKey) asKeys.getPublic());
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(asKeys.getPrivate());
      ka.doPhase(uaPublic, true);
      byte[] ecdhSecret = ka.generateSecret();

      byte[] prkKey = hmac(authSecret, ecdhSecret);
      byte[] ikm = hmac(prkKey, concat(KEY_INFO, uaRaw, asRaw, new byte[] {1}));
      byte[] prk = hmac(salt, ikm);
      byte[] cek = Arrays.copyOf(hmac(prk, concat(CEK_INFO, new byte[] {1})), 16);
      byte[] nonce = Arrays.copyOf(hmac(prk, concat(NONCE_INFO, new byte[] {1})), 12);

      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"),
          new GCMParameterSpec(128, nonce));
      byte[] record = gcm.doFinal(concat(plaintext, new byte[] {2}));

      return ByteBuffer.allocate(HEADER_LENGTH + record.length)
          .put(salt).putInt(RECORD_SIZE).put((byte) asRaw.length).put(asRaw).put(record)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Web Push encryption failed: " + e.getMessage(), e);
    }
  }

  static byte[] hmac(byte[] key, byte[] message) {
    return WebhookSignature.hmacSha256(key, message);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
