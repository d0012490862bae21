package org.tafel.client.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.tafel.protocol.signaling.X25519;

/**
 * An X25519 key pair ({@code crypto_box_keypair}). The secret key never leaves this package; the
 * public key is {@code X25519(secret, 9)}.
 */
public final class KeyPair {
  public static final int KEY_BYTES = 32;

  private final byte[] secretKey;
  private final byte[] publicKey;

  private KeyPair(byte[] secretKey) {
    if (secretKey.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "secret key: " + secretKey.length + " bytes (expected: 32)");
    }
    this.secretKey = secretKey.clone();
    this.publicKey = X25519.publicKey(this.secretKey);
  }

  public static KeyPair generate(SecureRandom random) {
    byte[] sk = new byte[KEY_BYTES];
    random.nextBytes(sk);
    try {
      return new KeyPair(sk);
    } finally {
      Arrays.fill(sk, (byte) 0);
    }
  }

  /** From a stored secret key (copied). */
  public static KeyPair fromSecretKey(byte[] secretKey) {
    return new KeyPair(secretKey);
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /**
   * The raw X25519 shared secret with {@code theirPublicKey} ({@code crypto_scalarmult}); a
   * low-order point (all-zero result) is refused, as libsodium does. The one X25519 of the code
   * base ({@link X25519}, shared with the signaling handshake).
   */
  byte[] sharedSecret(byte[] theirPublicKey) {
    return X25519.agree(secretKey, theirPublicKey);
  }

  byte[] secretKeyBytes() {
    return secretKey.clone();
  }

  public void destroy() {
    Arrays.fill(secretKey, (byte) 0);
  }
}
