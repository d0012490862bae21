package org.tafel.client.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A public key's fingerprint for people to compare: the first 20 bytes of SHA-256(public key) as
 * ten groups of four lowercase hex digits, e.g. {@code 3f1a 9c0e 77b2 …}.
 */
public final class Fingerprint {
  private static final int BYTES = 20;

  private Fingerprint() {}

  public static String of(byte[] publicKey) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(publicKey);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    String hex = HexFormat.of().formatHex(digest, 0, BYTES);
    StringBuilder sb = new StringBuilder(hex.length() + hex.length() / 4);
    for (int i = 0; i < hex.length(); i += 4) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(hex, i, i + 4);
    }
    return sb.toString();
  }
}
