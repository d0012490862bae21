package org.tafel.protocol.signaling;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * Contact-discovery probes (DESIGN.md §1, docs/protocol.md "Discovery"): a contact's e-mail address
 * or phone number is normalised, then hashed with HMAC-SHA256 under the deployment's discovery key.
 * The client sends only the 32-byte hashes; the server matches them in memory and keeps none.
 *
 * <ul>
 *   <li>e-mail: Unicode NFC, surrounding white space trimmed, lower-cased (locale-independent);
 *       must contain one {@code @} with text on both sides.
 *   <li>phone: E.164 {@code +} and 8 to 15 digits. Spaces, tabs, {@code - . / ( )} are dropped; a
 *       leading {@code 00} becomes {@code +}; a national number starting with one {@code 0} takes
 *       the given country calling code (e.g. {@code 49}) in place of the {@code 0}.
 * </ul>
 *
 * <p>Honest limit: the key ships in every client, so phone hashes can be reversed by brute force;
 * what the server promises is not to keep them.
 */
public final class ContactDiscovery {
  public static final int HASH_BYTES = 32;

  private ContactDiscovery() {}

  /** The normalised e-mail address, or empty if {@code input} is not one. */
  public static Optional<String> email(String input) {
    String s = Normalizer.normalize(input, Normalizer.Form.NFC).strip().toLowerCase(Locale.ROOT);
    int at = s.indexOf('@');
    if (at <= 0 || at != s.lastIndexOf('@') || at == s.length() - 1) {
      return Optional.empty();
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i)) || Character.isISOControl(s.charAt(i))) {
        return Optional.empty();
      }
    }
    return Optional.of(s);
  }

  /**
   * The E.164 form of {@code input}, or empty if it is not a phone number.
   *
   * @param countryCode calling code for national numbers (digits, e.g. {@code "49"}), or null to
   *     accept international numbers only
   */
  public static Optional<String> phone(String input, String countryCode) {
    StringBuilder digits = new StringBuilder();
    boolean plus = false;
    String s = input.strip();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+' && i == 0) {
        plus = true;
      } else if (c >= '0' && c <= '9') {
        digits.append(c);
      } else if (" \t-./()".indexOf(c) < 0) {
        return Optional.empty();
      }
    }
    String d = digits.toString();
    if (!plus) {
      if (d.startsWith("00")) {
        d = d.substring(2);
      } else if (d.startsWith("0")
          && countryCode != null
          && countryCode.matches("[1-9][0-9]{0,2}")) {
        d = countryCode + d.substring(1);
      } else {
        return Optional.empty();
      }
    }
    if (d.length() < 8 || d.length() > 15 || d.charAt(0) == '0') {
      return Optional.empty();
    }
    return Optional.of("+" + d);
  }

  /** HMAC-SHA256(discoveryKey, UTF-8(normalised)). */
  public static byte[] hash(byte[] discoveryKey, String normalised) {
    return Handshake.hmac(discoveryKey, normalised.getBytes(StandardCharsets.UTF_8));
  }
}
