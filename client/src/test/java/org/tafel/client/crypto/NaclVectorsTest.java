package org.tafel.client.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tafel.client.testing.Vectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.tafel.client.testing.Vectors;

/** "Cryptography in NaCl" values as libsodium's own tests use them (shared/vectors). */
class NaclVectorsTest {
  private static final Vectors V = Vectors.load("nacl-box-secretbox.json");
  private static final JsonNode KEYS = V.byId("curve25519-keys");

  private static KeyPair alice() {
    return KeyPair.fromSecretKey(hex(KEYS, "alice_sk"));
  }

  private static KeyPair bob() {
    return KeyPair.fromSecretKey(hex(KEYS, "bob_sk"));
  }

  @Test
  void derivesBothPublicKeysFromTheSecretKeys() {
    assertArrayEquals(hex(KEYS, "alice_pk"), alice().publicKey());
    assertArrayEquals(hex(KEYS, "bob_pk"), bob().publicKey());
  }

  @Test
  void agreesOnTheSharedSecretFromBothSides() {
    byte[] expected = hex(V.byId("x25519-shared-secret"), "expected");
    assertArrayEquals(expected, alice().sharedSecret(hex(KEYS, "bob_pk")));
    assertArrayEquals(expected, bob().sharedSecret(hex(KEYS, "alice_pk")));
  }

  @Test
  void precomputesTheBoxKeyWithHsalsa20() {
    byte[] expected = hex(V.byId("crypto_box_beforenm"), "expected");
    assertArrayEquals(expected, new Box(alice(), hex(KEYS, "bob_pk")).beforenm());
    assertArrayEquals(expected, new Box(bob(), hex(KEYS, "alice_pk")).beforenm());
  }

  @Test
  void boxesTheNaclMessageByteForByteAndBobOpensIt() throws Exception {
    JsonNode v = V.byId("crypto_box");
    KeyPair sender = KeyPair.fromSecretKey(hex(v, "sender_sk"));
    byte[] box = new Box(sender, hex(v, "recipient_pk")).seal(hex(v, "nonce"), hex(v, "message"));
    assertArrayEquals(hex(v, "expected_ciphertext_easy_format"), box);
    assertEquals(v.get("expected_ciphertext_length").asInt(), box.length);
    assertArrayEquals(hex(v, "expected_poly1305_tag"), Arrays.copyOf(box, 16));
    assertArrayEquals(hex(v, "expected_raw_ciphertext"), Arrays.copyOfRange(box, 16, box.length));

    byte[] opened = new Box(bob(), alice().publicKey()).open(hex(v, "nonce"), box);
    assertArrayEquals(hex(v, "message"), opened);
  }

  @Test
  void refusesTheBoxWithByte20Flipped() {
    JsonNode v = V.byId("crypto_box");
    byte[] box = hex(v, "expected_ciphertext_easy_format");
    box[20] ^= 1;
    Box bobs = new Box(bob(), alice().publicKey());
    assertThrows(DecryptionFailedException.class, () -> bobs.open(hex(v, "nonce"), box));
  }

  @Test
  void refusesEveryFlippedBitOfTheBox() {
    JsonNode v = V.byId("crypto_box");
    byte[] good = hex(v, "expected_ciphertext_easy_format");
    Box bobs = new Box(bob(), alice().publicKey());
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(
          DecryptionFailedException.class, () -> bobs.open(hex(v, "nonce"), bad), "bit " + bit);
    }
  }

  @Test
  void refusesTheBoxUnderAnotherKeyOrNonceOrTruncated() {
    JsonNode v = V.byId("crypto_box");
    byte[] box = hex(v, "expected_ciphertext_easy_format");
    byte[] nonce = hex(v, "nonce");
    KeyPair mallory = KeyPair.generate(new SecureRandom());
    assertThrows(
        DecryptionFailedException.class,
        () -> new Box(mallory, alice().publicKey()).open(nonce, box));
    byte[] otherNonce = nonce.clone();
    otherNonce[23] ^= 1;
    Box bobs = new Box(bob(), alice().publicKey());
    assertThrows(DecryptionFailedException.class, () -> bobs.open(otherNonce, box));
    assertThrows(
        DecryptionFailedException.class,
        () -> bobs.open(nonce, Arrays.copyOf(box, box.length - 1)));
    assertThrows(DecryptionFailedException.class, () -> bobs.open(nonce, new byte[15]));
  }

  @Test
  void secretboxesWithTheFirstKeyByteForByte() throws Exception {
    JsonNode v = V.byId("crypto_secretbox");
    SecretBox sb = new SecretBox(hex(v, "key"));
    byte[] box = sb.seal(hex(v, "nonce"), hex(v, "message"));
    assertArrayEquals(hex(v, "expected_ciphertext_easy_format"), box);
    assertArrayEquals(hex(v, "message"), sb.open(hex(v, "nonce"), box));
    byte[] tag = box.clone();
    tag[0] ^= (byte) 0x80;
    assertThrows(DecryptionFailedException.class, () -> sb.open(hex(v, "nonce"), tag));
    byte[] wrongKey = hex(v, "key");
    wrongKey[0] ^= 1;
    assertThrows(
        DecryptionFailedException.class, () -> new SecretBox(wrongKey).open(hex(v, "nonce"), box));
  }

  @Test
  void opensTheFixedEphemeralSealedBox() throws Exception {
    JsonNode v = V.byId("crypto_box_seal-fixed-ephemeral");
    KeyPair recipient = KeyPair.fromSecretKey(hex(v, "recipient_sk"));
    assertArrayEquals(hex(v, "recipient_pk"), recipient.publicKey());
    assertArrayEquals(hex(v, "message"), SealedBox.open(hex(v, "expected_sealed"), recipient));
    byte[] bad = hex(v, "expected_sealed");
    bad[bad.length - 1] ^= 1;
    assertThrows(DecryptionFailedException.class, () -> SealedBox.open(bad, recipient));
  }

  @Test
  void sealsLikeTheVectorWhenTheEphemeralKeyIsFixed() {
    JsonNode v = V.byId("crypto_box_seal-fixed-ephemeral");
    byte[] sealed =
        SealedBox.seal(
            hex(v, "message"), hex(v, "recipient_pk"), new FixedRandom(hex(v, "ephemeral_sk")));
    assertEquals(
        HexFormat.of().formatHex(hex(v, "expected_sealed")), HexFormat.of().formatHex(sealed));
    assertEquals(SealedBox.OVERHEAD + hex(v, "message").length, sealed.length);
  }

  @Test
  void refusesALowOrderPublicKey() {
    assertThrows(IllegalArgumentException.class, () -> new Box(alice(), new byte[32]));
  }

  /** Yields fixed bytes once: makes the sealed box's ephemeral key the vector's. */
  private static final class FixedRandom extends SecureRandom {
    private final byte[] bytes;

    FixedRandom(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public void nextBytes(byte[] out) {
      if (out.length != bytes.length) {
        throw new IllegalStateException("asked for " + out.length + " bytes");
      }
      System.arraycopy(bytes, 0, out, 0, out.length);
    }
  }
}
