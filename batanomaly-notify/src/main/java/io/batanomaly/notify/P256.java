package io.batanomaly.notify;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** NIST P-256 keys in the raw forms Web Push uses, and base64url without padding. */
final class P256 {
  static final ECParameterSpec PARAMS = params();

  private P256() {}

  private static ECParameterSpec params() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no P-256 curve", e);
    }
  }

  static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(PARAMS);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
    }
  }

  /** Decodes an uncompressed point (0x04 ‖ X ‖ Y, 65 bytes) into a public key on the curve. */
  static ECPublicKey publicKey(byte[] raw) {
    if (raw.length != 65 || raw[0] != 4) {
      throw new IllegalArgumentException("a P-256 public key must be a 65-byte uncompressed"
          + " point starting with 0x04, but was " + raw.length + " bytes");
    }
    ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(raw, 33, 65)));
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
          new ECPublicKeySpec(w, PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a point on P-256: " + e.getMessage(), e);
    }
  }

  /** Decodes a private scalar (32 bytes, big-endian). */
  static ECPrivateKey privateKey(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException(
          "a P-256 private key must be 32 bytes, but was " + raw.length + " bytes");
    }
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
          new ECPrivateKeySpec(new BigInteger(1, raw), PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a P-256 private key: " + e.getMessage(), e);
    }
  }

  /** Encodes a public key as an uncompressed point, 65 bytes. */
  static byte[] encode(ECPublicKey key) {
    byte[] out = new byte[65];
    out[0] = 4;
    fixed(key.getW().getAffineX(), out, 1);
    fixed(key.getW().getAffineY(), out, 33);
    return out;
  }

  /** Encodes a private key's scalar, 32 bytes. */
  static byte[] encode(ECPrivateKey key) {
    byte[] out = new byte[32];
    fixed(key.getS(), out, 0);
    return out;
  }

  private static void fixed(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, 32);
    System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
  }

  static String b64(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Decodes base64url, with or without padding; standard base64 is accepted too. */
  static byte[] unb64(String s) {
    String t = s.trim().replace('+', '-').replace('/', '_');
    while (t.endsWith("=")) {
      t = t.substring(0, t.length() - 1);
    }
    return Base64.getUrlDecoder().decode(t);
  }
}
