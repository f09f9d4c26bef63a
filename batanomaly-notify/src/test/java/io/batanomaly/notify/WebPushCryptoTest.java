package io.batanomaly.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** RFC 8291 section 5 and appendix A: the worked example, byte for byte. */
class WebPushCryptoTest {
  static final String PLAINTEXT = "When I grow up, I want to be a watermelon";
  static final String AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw";
  static final String AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYW"
      + "AmS6TlzAC8wEqKK6PBru3jl7A8";
  static final String UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94";
  static final String UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bj"
      + "yPjs7Vd8pZGH6SRpkNtoIAiw4";
  static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";
  static final String SALT = "DGv6ra1nlYgDCS1FRnbzlw";
  static final String MESSAGE = "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
      + "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
      + "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN";

  @Test
  void encryptsTheRfc8291ExampleToThePublishedMessage() {
    KeyPair as = new KeyPair(P256.publicKey(P256.unb64(AS_PUBLIC)),
        P256.privateKey(P256.unb64(AS_PRIVATE)));
    byte[] body = WebPushCrypto.encrypt(PLAINTEXT.getBytes(StandardCharsets.UTF_8),
        P256.publicKey(P256.unb64(UA_PUBLIC)), P256.unb64(AUTH), as, P256.unb64(SALT));
    assertThat(P256.b64(body)).isEqualTo(MESSAGE);
  }

  @Test
  void theUserAgentDecryptsThePublishedMessage() {
    byte[] plain = decrypt(P256.unb64(MESSAGE), P256.privateKey(P256.unb64(UA_PRIVATE)),
        P256.publicKey(P256.unb64(UA_PUBLIC)), P256.unb64(AUTH));
    assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(PLAINTEXT);
  }

  @Test
  void refusesAPlaintextThatWouldNotFitOneMessage() {
    KeyPair ua = P256.generate();
    assertThatThrownBy(() -> WebPushCrypto.encrypt(new byte[3994],
        (ECPublicKey) ua.getPublic(), new byte[16], P256.generate(), new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a push message holds at most 3993 bytes of plaintext, but was 3994 bytes");
    byte[] body = WebPushCrypto.encrypt(new byte[3993], (ECPublicKey) ua.getPublic(),
        new byte[16], P256.generate(), new byte[16]);
    assertThat(body).hasSize(4096);
  }

  /** What a browser does with a message: the receiving side of RFC 8291. */
  static byte[] decrypt(byte[] body, ECPrivateKey uaPrivate, ECPublicKey uaPublic, byte[] auth) {
    try {
      ByteBuffer in = ByteBuffer.wrap(body);
      byte[] salt = new byte[16];
      in.get(salt);
      int rs = in.getInt();
      assertThat(rs).isEqualTo(4096);
      byte[] keyId = new byte[in.get() & 0xff];
      in.get(keyId);
      byte[] record = new byte[in.remaining()];
      in.get(record);
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init(uaPrivate);
      ka.doPhase(P256.publicKey(keyId), true);
      byte[] ecdh = ka.generateSecret();
      byte[] prkKey = WebPushCrypto.hmac(auth, ecdh);
      byte[] ikm = WebPushCrypto.hmac(prkKey, WebPushCrypto.concat(
          "WebPush: info\0".getBytes(StandardCharsets.US_ASCII), P256.encode(uaPublic), keyId,
          new byte[] {1}));
      byte[] prk = WebPushCrypto.hmac(salt, ikm);
      byte[] cek = Arrays.copyOf(WebPushCrypto.hmac(prk, WebPushCrypto.concat(
          "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})),
          16);
      byte[] nonce = Arrays.copyOf(WebPushCrypto.hmac(prk, WebPushCrypto.concat(
          "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 12);
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"),
          new GCMParameterSpec(128, nonce));
      byte[] padded = gcm.doFinal(record);
      int end = padded.length - 1;
      while (padded[end] == 0) {
        end--;
      }
      assertThat(padded[end]).as("last-record delimiter").isEqualTo((byte) 2);
      return Arrays.copyOf(padded, end);
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
