package org.tafel.server.config;

/**
 * A configuration or command-line value that cannot be used. The message names the key, the value
 * and what is expected, e.g. {@code relay.turn-port: 70000 (expected: 0..65535)}; it never holds a
 * secret value.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code key: value (expected: expectation)}. */
  public static ConfigException invalid(String key, Object value, String expectation) {
    return new ConfigException(key + ": " + value + " (expected: " + expectation + ")");
  }
}
