package org.tafel.protocol.signaling;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Field checks shared by the frame records; each failure names the field and the expectation. */
final class Checks {
  static final Pattern IDENTITY = Pattern.compile("[A-Z0-9]{8}");
  static final int MAX_HASHES = 1000;

  private Checks() {}

  static void bytes(String field, byte[] value, int length) {
    if (value == null) {
      throw new IllegalArgumentException(field + ": missing (expected: " + length + " bytes)");
    }
    if (value.length != length) {
      throw new IllegalArgumentException(
          field + ": " + value.length + " bytes (expected: " + length + ")");
    }
  }

  static void identity(String field, String value) {
    if (value == null || !IDENTITY.matcher(value).matches()) {
      throw new IllegalArgumentException(
          field
              + ": "
              + (value == null ? "missing" : "not an identity ID")
              + " (expected: 8 of A-Z 0-9)");
    }
  }

  static List<byte[]> hashes(List<byte[]> hashes) {
    if (hashes == null) {
      throw new IllegalArgumentException("hashes: missing (expected: a list, maybe empty)");
    }
    if (hashes.size() > MAX_HASHES) {
      throw new IllegalArgumentException(
          "hashes: " + hashes.size() + " (expected: at most " + MAX_HASHES + " per request)");
    }
    List<byte[]> copy = new ArrayList<>(hashes.size());
    for (byte[] h : hashes) {
      bytes("hashes[]", h, ContactDiscovery.HASH_BYTES);
      copy.add(h.clone());
    }
    return List.copyOf(copy);
  }
}
