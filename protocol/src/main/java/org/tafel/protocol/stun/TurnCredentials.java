package org.tafel.protocol.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;

/**
 * Long-term credential keys (RFC 8489 §9.2.2, §14.4 USERHASH, §18.5 PASSWORD-ALGORITHM) and
 * ephemeral TURN REST credentials (draft-uberti-behave-turn-rest-00 §2.2).
 *
 * <p>Strings are prepared with SASLprep (RFC 4013): RFC 3454 table B.1 removed, C.1.2 non-ASCII
 * spaces mapped to U+0020, NFKC, and prohibited code points (controls, private use, surrogates,
 * non-characters) refused. RFC 8489 names OpaqueString (RFC 8265); for the inputs that matter here
 * (and for the RFC's own vector) SASLprep gives the same result.
 */
public final class TurnCredentials {
  private TurnCredentials() {}

  /** MD5(username ":" realm ":" password), each SASLprep'd (RFC 8489 §9.2.2). */
  public static byte[] longTermKey(String username, String realm, String password) {
    return digest("MD5", joined(username, realm, password));
  }

  /** SHA-256(username ":" realm ":" password), each SASLprep'd (RFC 8489 §9.2.2, algorithm 2). */
  public static byte[] longTermKeySha256(String username, String realm, String password) {
    return digest("SHA-256", joined(username, realm, password));
  }

  /** USERHASH: SHA-256(username ":" realm), each prepared (RFC 8489 §14.4). */
  public static byte[] userHash(String username, String realm) {
    String s = saslPrep(username) + ":" + saslPrep(realm);
    return digest("SHA-256", s.getBytes(StandardCharsets.UTF_8));
  }

  /** TURN REST password: base64 (standard, padded) of HMAC-SHA1(secret, UTF-8 username). */
  public static String restPassword(byte[] secret, String username) {
    Mac mac = StunDigests.hmacSha1(secret);
    return Base64.getEncoder()
        .encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The expiry (UNIX seconds) at the start of a TURN REST username: the decimal digits before the
   * first ':' or the whole name; -1 if that is not a non-negative decimal number.
   */
  public static long restExpiry(String username) {
    int end = username.indexOf(':');
    if (end < 0) {
      end = username.length();
    }
    if (end == 0 || end > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < end; i++) {
      char c = username.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /**
   * SASLprep (RFC 4013) of a stored string (unassigned code points are allowed).
   *
   * @throws IllegalArgumentException if the result contains a prohibited code point
   */
  public static String saslPrep(String s) {
    boolean ascii = true;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7F) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return s;
    }
    StringBuilder mapped = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (isMappedToNothing(cp)) {
        continue;
      }
      mapped.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp);
    }
    String normalized = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
    for (int i = 0; i < normalized.length(); ) {
      int cp = normalized.codePointAt(i);
      if (isProhibited(cp)) {
        throw new IllegalArgumentException(
            String.format("prohibited code point U+%04X at %d (RFC 4013 §2.3)", cp, i));
      }
      i += Character.charCount(cp);
    }
    return normalized;
  }

  /** RFC 3454 table B.1. */
  private static boolean isMappedToNothing(int cp) {
    return cp == 0x00AD
        || cp == 0x034F
        || cp == 0x1806
        || (cp >= 0x180B && cp <= 0x180D)
        || (cp >= 0x200B && cp <= 0x200D)
        || cp == 0x2060
        || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xFEFF;
  }

  /** RFC 3454 table C.1.2. */
  private static boolean isNonAsciiSpace(int cp) {
    return cp == 0x00A0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200B)
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** RFC 4013 §2.3: C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9 (abridged to ranges). */
  private static boolean isProhibited(int cp) {
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) {
      return true; // C.2.1, C.2.2 controls
    }
    if (isNonAsciiSpace(cp)) {
      return true; // C.1.2
    }
    if ((cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000) {
      return true; // C.3 private use (planes 15 and 16 included)
    }
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
      return true; // C.4 non-characters
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return true; // C.5 surrogates (unpaired)
    }
    if (cp >= 0xFFF9 && cp <= 0xFFFD) {
      return true; // C.6 inappropriate for plain text
    }
    if (cp >= 0x2FF0 && cp <= 0x2FFB) {
      return true; // C.7 ideographic description
    }
    if (cp == 0x0340
        || cp == 0x0341
        || cp == 0x200E
        || cp == 0x200F
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x206A && cp <= 0x206F)) {
      return true; // C.8 display properties
    }
    return cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F); // C.9 tagging
  }

  private static byte[] joined(String username, String realm, String password) {
    String s = saslPrep(username) + ":" + saslPrep(realm) + ":" + saslPrep(password);
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] digest(String algorithm, byte[] input) {
    try {
      return MessageDigest.getInstance(algorithm).digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every Java platform", e);
    }
  }
}
