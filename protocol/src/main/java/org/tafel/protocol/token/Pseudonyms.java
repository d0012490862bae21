package org.tafel.protocol.token;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.tafel.protocol.signaling.Handshake;

/**
 * Keyed pseudonyms (DESIGN.md §4): {@code base32(HMAC-SHA256(k_service, service ‖ 0x00 ‖ identity ‖
 * 0x00 ‖ period))}, the first 16 characters, lower-case RFC 4648 alphabet. One key per service,
 * never the TURN secret. The relay's period is the UTC day ({@code yyyy-MM-dd}), so TURN usernames
 * change daily; the blob store's is the constant {@code "-"}, so storage quotas hold across days.
 * The 0x00 separators keep (service, identity, period) unambiguous.
 */
public final class Pseudonyms {
  public static final String RELAY = "relay";
  public static final String BLOB = "blob";
  public static final String CONSTANT_PERIOD = "-";
  public static final int LENGTH = 16;
  private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final String service;
  private final byte[] key;

  /** Pseudonyms for {@code service} under its own key (at least 16 bytes). */
  public Pseudonyms(String service, byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException(
          service + " pseudonym key: " + key.length + " bytes (expected: at least 16)");
    }
    this.service = service;
    this.key = key.clone();
  }

  /** The relay's pseudonym of {@code identity} on the UTC day of {@code now}. */
  public String daily(String identity, Instant now) {
    return of(identity, DAY.format(now));
  }

  /** The pseudonym of {@code identity} with the constant period. */
  public String constant(String identity) {
    return of(identity, CONSTANT_PERIOD);
  }

  public String of(String identity, String period) {
    byte[] data = (service + '\0' + identity + '\0' + period).getBytes(StandardCharsets.UTF_8);
    return base32(Handshake.hmac(key, data), LENGTH);
  }

  /** RFC 4648 base32 (lower case, no padding) of {@code bytes}, cut to {@code chars}. */
  static String base32(byte[] bytes, int chars) {
    StringBuilder out = new StringBuilder(chars);
    int buffer = 0;
    int bits = 0;
    for (byte b : bytes) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5 && out.length() < chars) {
        out.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0 && out.length() < chars) {
      out.append(ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }
}
