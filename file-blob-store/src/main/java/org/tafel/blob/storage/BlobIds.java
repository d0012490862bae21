package org.tafel.blob.storage;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Blob IDs: 128 random bits as 32 lower-case hex characters, never derived from content (an ID is a
 * read capability). Anything else is not an ID: no upper case, no other length, no separators.
 */
public final class BlobIds {
  public static final int LENGTH = 32;

  private BlobIds() {}

  public static String random(SecureRandom random) {
    byte[] b = new byte[16];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** True for exactly 32 characters of {@code [0-9a-f]}. */
  public static boolean isValid(String id) {
    if (id == null || id.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
