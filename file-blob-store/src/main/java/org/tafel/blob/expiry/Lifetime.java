package org.tafel.blob.expiry;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a blob lives and how many {@code done} calls remove it.
 *
 * @param expiresIn time from upload completion to expiry
 * @param downloads {@code done} calls until removal; 0 = not counted
 */
public record Lifetime(Duration expiresIn, int downloads) {
  public static final String EXPIRES_IN = "Tafel-Expires-In";
  public static final String DOWNLOADS = "Tafel-Downloads";

  public Instant expiresAt(Instant now) {
    return now.plus(expiresIn);
  }

  /** A refused value, with the message the client gets. */
  public static final class InvalidException extends Exception {
    public InvalidException(String message) {
      super(message);
    }
  }

  /**
   * Parses the two values (header or tus metadata text; null when absent).
   *
   * @param expiresIn whole seconds, 1 to {@code maxExpiry}; absent: {@code defaultExpiry}
   * @param downloads 1 to {@code maxDownloads}; absent: not counted
   */
  public static Lifetime parse(
      String expiresIn,
      String downloads,
      Duration defaultExpiry,
      Duration maxExpiry,
      int maxDownloads)
      throws InvalidException {
    Duration e = defaultExpiry;
    if (expiresIn != null) {
      long s = number(expiresIn.trim());
      if (s < 1 || s > maxExpiry.toSeconds()) {
        throw new InvalidException(
            EXPIRES_IN
                + ": '"
                + shorten(expiresIn)
                + "' (expected: whole seconds, 1.."
                + maxExpiry.toSeconds()
                + ")");
      }
      e = Duration.ofSeconds(s);
    }
    int d = 0;
    if (downloads != null) {
      long n = number(downloads.trim());
      if (n < 1 || n > maxDownloads) {
        throw new InvalidException(
            DOWNLOADS + ": '" + shorten(downloads) + "' (expected: 1.." + maxDownloads + ")");
      }
      d = (int) n;
    }
    return new Lifetime(e, d);
  }

  private static long number(String s) {
    if (s.isEmpty() || s.length() > 12) {
      return -1;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(s);
  }

  private static String shorten(String s) {
    String t = s.length() > 20 ? s.substring(0, 20) + "…" : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
