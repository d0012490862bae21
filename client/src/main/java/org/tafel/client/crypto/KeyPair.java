package org.tafel.client.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

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
    this.publicKey = new byte[KEY_BYTES];
    X25519.scalarMultBase(this.secretKey, 0, publicKey, 0);
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

  /** The raw X25519 shared secret with {@code theirPublicKey} ({@code crypto_scalarmult}). */
  byte[] sharedSecret(byte[] theirPublicKey) {
    if (theirPublicKey.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "public key: " + theirPublicKey.length + " bytes (expected: 32)");
    }
    byte[] shared = new byte[KEY_BYTES];
    // false for a low-order point (all-zero result); libsodium refuses those too.
    if (!X25519.calculateAgreement(secretKey, 0, theirPublicKey, 0, shared, 0)) {
      throw new IllegalArgumentException("public key is a low-order point");
    }
    return shared;
  }

  byte[] secretKeyBytes() {
    return secretKey.clone();
  }

  public void destroy() {
    Arrays.fill(secretKey, (byte) 0);
  }
}
