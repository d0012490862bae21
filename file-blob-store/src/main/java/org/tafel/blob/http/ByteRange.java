package org.tafel.blob.http;

/**
 * One byte range of a {@code Range: bytes=...} header (RFC 9110 §14.1.2), resolved against a
 * representation of {@code size} bytes. Several ranges in one header are not supported: such a
 * request is answered with the whole representation (a server may ignore Range, §14.2).
 *
 * @param first first byte, inclusive
 * @param last last byte, inclusive
 */
public record ByteRange(long first, long last) {

  public long length() {
    return last - first + 1;
  }

  /** What a Range header asks for. */
  public sealed interface Result permits Whole, Part, Unsatisfiable {}

  /** No usable Range: send everything with 200. */
  public record Whole() implements Result {}

  /** One satisfiable range: 206. */
  public record Part(ByteRange range) implements Result {}

  /** A syntactically valid range that lies beyond the representation: 416. */
  public record Unsatisfiable() implements Result {}

  public static Result parse(String header, long size) {
    if (header == null) {
      return new Whole();
    }
    String h = header.trim();
    if (!h.regionMatches(true, 0, "bytes=", 0, 6)) {
      return new Whole();
    }
    String spec = h.substring(6).trim();
    if (spec.indexOf(',') >= 0 || spec.length() > 40) {
      return new Whole();
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new Whole();
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        if (b.isEmpty() || !digits(b)) {
          return new Whole();
        }
        long suffix = Long.parseLong(b);
        if (suffix == 0 || size == 0) {
          return new Unsatisfiable();
        }
        long first = Math.max(0, size - suffix);
        return new Part(new ByteRange(first, size - 1));
      }
      if (!digits(a) || (!b.isEmpty() && !digits(b))) {
        return new Whole();
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? size - 1 : Long.parseLong(b);
      if (!b.isEmpty() && last < first) {
        return new Whole();
      }
      if (first >= size) {
        return new Unsatisfiable();
      }
      return new Part(new ByteRange(first, Math.min(last, size - 1)));
    } catch (NumberFormatException e) {
      return new Whole();
    }
  }

  private static boolean digits(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
