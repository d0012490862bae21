package org.tafel.protocol.signaling;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * X25519 (RFC 7748 §5) on Bouncy Castle: 32-byte secret and public keys, byte-compatible with
 * libsodium's {@code crypto_scalarmult}.
 */
public final class X25519 {
  public static final int KEY_BYTES = 32;

  private X25519() {}

  /**
   * A key pair: {@code secret} is 32 random bytes (clamped when used), {@code publicKey} its point.
   */
  public record KeyPair(byte[] secret, byte[] publicKey) {
    public KeyPair {
      checkLength("secret", secret);
      checkLength("publicKey", publicKey);
      secret = secret.clone();
      publicKey = publicKey.clone();
    }

    @Override
    public byte[] secret() {
      return secret.clone();
    }

    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public String toString() {
      return "KeyPair[secret hidden]";
    }
  }

  public static KeyPair generate(SecureRandom random) {
    byte[] secret = new byte[KEY_BYTES];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, secret);
    return new KeyPair(secret, publicKey(secret));
  }

  /** The key pair whose secret is {@code secret} (e.g. a stored server key). */
  public static KeyPair fromSecret(byte[] secret) {
    return new KeyPair(secret, publicKey(secret));
  }

  public static byte[] publicKey(byte[] secret) {
    checkLength("secret", secret);
    byte[] pub = new byte[KEY_BYTES];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(secret, 0, pub, 0);
    return pub;
  }

  /**
   * The shared secret X25519(secret, peerPublic).
   *
   * @throws IllegalArgumentException if the result is all zeros (a low-order peer key, RFC 7748
   *     §6.1), which a protocol must refuse
   */
  public static byte[] agree(byte[] secret, byte[] peerPublic) {
    checkLength("secret", secret);
    checkLength("public key", peerPublic);
    byte[] shared = new byte[KEY_BYTES];
    if (!org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(
        secret, 0, peerPublic, 0, shared, 0)) {
      throw new IllegalArgumentException("public key: low-order point (expected: a valid key)");
    }
    return shared;
  }

  static void checkLength(String what, byte[] key) {
    Objects.requireNonNull(key, what);
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          what + ": " + key.length + " bytes (expected: " + KEY_BYTES + ")");
    }
  }
}
