package org.tafel.blob.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Delete tokens: 128 random bits, base64url without padding (22 characters). The store keeps only
 * the SHA-256 of a token; with 128 bits of entropy an unsalted hash cannot be reversed, and a
 * leaked metadata file does not let anyone delete.
 */
public final class DeleteTokens {
  private DeleteTokens() {}

  public static String random(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Lower-case hex SHA-256 of the token's ASCII text. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time check of {@code token} against a stored hash. */
  public static boolean matches(String token, String storedHash) {
    if (token == null || token.length() > 128) {
      return false;
    }
    return MessageDigest.isEqual(
        hash(token).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
