package org.tafel.server.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The services one Tafel JVM can run; {@code --only} picks a subset. */
public enum Service {
  RELAY,
  SIGNALING,
  BLOB;

  /** The name used in the YAML file and on the command line. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Service parse(String key, String text) {
    for (Service s : values()) {
      if (s.key().equals(text.trim())) {
        return s;
      }
    }
    throw ConfigException.invalid(
        key,
        text,
        "one of " + Arrays.stream(values()).map(Service::key).collect(Collectors.joining(", ")));
  }
}
