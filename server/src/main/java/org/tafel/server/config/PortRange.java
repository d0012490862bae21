package org.tafel.server.config;

/** An inclusive port range written {@code MIN-MAX}, e.g. {@code 49152-65535}. */
public record PortRange(int min, int max) {
  static final String EXPECTATION = "MIN-MAX with 1 <= MIN <= MAX <= 65535";

  public PortRange {
    if (min < 1 || max > 65535 || min > max) {
      throw new IllegalArgumentException(min + "-" + max + " (expected: " + EXPECTATION + ")");
    }
  }

  public boolean contains(int port) {
    return port >= min && port <= max;
  }

  static PortRange parse(String key, String text) {
    String t = text.trim();
    int dash = t.indexOf('-');
    try {
      if (dash > 0) {
        int min = Integer.parseInt(t.substring(0, dash).trim());
        int max = Integer.parseInt(t.substring(dash + 1).trim());
        if (min >= 1 && max <= 65535 && min <= max) {
          return new PortRange(min, max);
        }
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw ConfigException.invalid(key, text, EXPECTATION);
  }

  @Override
  public String toString() {
    return min + "-" + max;
  }
}
