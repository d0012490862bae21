package org.tafel.client.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * {@code crypto_secretbox_easy} / {@code crypto_secretbox_open_easy}: XSalsa20-Poly1305 under a
 * 32-byte key with a 24-byte nonce; output is the 16-byte tag followed by the ciphertext.
 */
public final class SecretBox {
  public static final int KEY_BYTES = XSalsa20Poly1305.KEY_BYTES;
  public static final int NONCE_BYTES = XSalsa20Poly1305.NONCE_BYTES;
  public static final int MAC_BYTES = XSalsa20Poly1305.MAC_BYTES;

  private final byte[] key;

  /** Copies the key; {@link #destroy()} wipes the copy. */
  public SecretBox(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("key: " + key.length + " bytes (expected: 32)");
    }
    this.key = key.clone();
  }

  /** A fresh random key from {@code random}. */
  public static SecretBox random(SecureRandom random) {
    byte[] k = new byte[KEY_BYTES];
    random.nextBytes(k);
    try {
      return new SecretBox(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  public byte[] seal(byte[] nonce, byte[] message) {
    return XSalsa20Poly1305.seal(key, nonce, message, 0, message.length);
  }

  byte[] seal(byte[] nonce, byte[] message, int offset, int length) {
    return XSalsa20Poly1305.seal(key, nonce, message, offset, length);
  }

  public byte[] open(byte[] nonce, byte[] box) throws DecryptionFailedException {
    return XSalsa20Poly1305.open(key, nonce, box, 0, box.length, "secret box");
  }

  byte[] open(byte[] nonce, byte[] box, int offset, int length, String what)
      throws DecryptionFailedException {
    return XSalsa20Poly1305.open(key, nonce, box, offset, length, what);
  }

  /** The key bytes, for packages of this one that must hand a key on (a file key in a message). */
  byte[] keyBytes() {
    return key.clone();
  }

  public void destroy() {
    Arrays.fill(key, (byte) 0);
  }
}
