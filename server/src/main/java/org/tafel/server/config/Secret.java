package org.tafel.server.config;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret value and where it came from. {@link #toString()} shows the source only, so a secret
 * never reaches a log line or an error message by accident.
 *
 * @param source where the value came from, e.g. {@code secret://env/TURN_SECRET}, {@code command
 *     line} or the path of a generated file
 */
public record Secret(byte[] value, String source) {
  public Secret {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
    value = value.clone();
  }

  /** A secret typed on the command line (development only). */
  public static Secret fromCommandLine(String flag, String text) {
    return new Secret(text.getBytes(StandardCharsets.UTF_8), flag + " on the command line");
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value as text, for passwords (UTF-8). */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Secret[" + source + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s
        && java.util.Arrays.equals(value, s.value)
        && source.equals(s.source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }
}
