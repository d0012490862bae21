package org.tafel.client.crypto;

import java.util.Arrays;

/**
 * {@code crypto_box_easy} / {@code crypto_box_open_easy} between one's own key pair and another
 * party's public key, with the key precomputed as {@code crypto_box_beforenm} does:
 * HSalsa20(X25519(sk, pk), 0¹⁶), then XSalsa20-Poly1305 as {@link SecretBox}. The same object seals
 * to and opens from the other party.
 */
public final class Box {
  public static final int NONCE_BYTES = XSalsa20Poly1305.NONCE_BYTES;
  public static final int MAC_BYTES = XSalsa20Poly1305.MAC_BYTES;

  private final SecretBox shared;

  public Box(KeyPair mine, byte[] theirPublicKey) {
    byte[] s = mine.sharedSecret(theirPublicKey);
    byte[] k = XSalsa20Poly1305.hsalsa20(s, new byte[16]);
    this.shared = new SecretBox(k);
    Arrays.fill(s, (byte) 0);
    Arrays.fill(k, (byte) 0);
  }

  public byte[] seal(byte[] nonce, byte[] message) {
    return shared.seal(nonce, message);
  }

  public byte[] open(byte[] nonce, byte[] box) throws DecryptionFailedException {
    return shared.open(nonce, box, 0, box.length, "box");
  }

  /** {@code crypto_box_beforenm}, for vectors and tests only. */
  byte[] beforenm() {
    return shared.keyBytes();
  }

  public void destroy() {
    shared.destroy();
  }
}
