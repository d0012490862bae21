package org.tafel.protocol.signaling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The proof-of-work of open registration (hashcash-like): find a {@code nonce} (unsigned 64-bit)
 * such that {@code SHA-256("tafel-pow-v1" ‖ challenge ‖ publicKey ‖ u64be(nonce))} starts with at
 * least {@code bits} zero bits. Bound to the connection's challenge, so it cannot be computed in
 * advance or reused; expected work is 2^bits hashes.
 */
public final class ProofOfWork {
  public static final String LABEL = "tafel-pow-v1";
  public static final int MAX_BITS = 40;

  private ProofOfWork() {}

  /** Leading zero bits of the hash for this nonce. */
  public static int zeroBits(byte[] challenge, byte[] publicKey, long nonce) {
    MessageDigest sha = sha256();
    sha.update(LABEL.getBytes(StandardCharsets.US_ASCII));
    sha.update(challenge);
    sha.update(publicKey);
    sha.update(ByteBuffer.allocate(8).putLong(nonce).array());
    byte[] h = sha.digest();
    int bits = 0;
    for (byte b : h) {
      if (b == 0) {
        bits += 8;
        continue;
      }
      bits += Integer.numberOfLeadingZeros(b & 0xff) - 24;
      break;
    }
    return bits;
  }

  public static boolean verify(byte[] challenge, byte[] publicKey, long nonce, int bits) {
    return bits <= 0 || zeroBits(challenge, publicKey, nonce) >= bits;
  }

  /** Searches nonces 0, 1, 2, ... until one has {@code bits} zero bits. */
  public static long solve(byte[] challenge, byte[] publicKey, int bits) {
    for (long nonce = 0; ; nonce++) {
      if (verify(challenge, publicKey, nonce, bits)) {
        return nonce;
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
