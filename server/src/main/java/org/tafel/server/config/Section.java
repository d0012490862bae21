package org.tafel.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One mapping of the configuration tree, read key by key. Every reader names the full key in its
 * errors; {@link #finish()} refuses keys nobody read, so a typo never goes unnoticed.
 */
final class Section {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*([smh]?)");

  private final String prefix;
  private final JsonNode node;
  private final Set<String> known = new LinkedHashSet<>();

  Section(String path, JsonNode node) {
    this.prefix = path.isEmpty() ? "" : path + ".";
    if (node != null && !node.isNull() && !node.isMissingNode() && !node.isObject()) {
      throw ConfigException.invalid(path, describe(node), "a mapping of keys");
    }
    this.node = node == null || !node.isObject() ? null : node;
  }

  String key(String name) {
    return prefix + name;
  }

  /** The raw value, or null when the key is absent or empty. */
  JsonNode raw(String name) {
    known.add(name);
    JsonNode v = node == null ? null : node.get(name);
    return v == null || v.isNull() || v.isMissingNode() ? null : v;
  }

  Section section(String name) {
    return new Section(key(name), raw(name));
  }

  String string(String name, String defaultValue) {
    JsonNode v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    if (!v.isValueNode() || v instanceof POJONode) {
      throw ConfigException.invalid(key(name), describe(v), "a single value");
    }
    return v.asText();
  }

  long integer(String name, long defaultValue, long min, long max) {
    JsonNode v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    long value;
    try {
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        value = v.longValue();
      } else if (v.isTextual()) {
        value = Long.parseLong(v.asText().trim());
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw ConfigException.invalid(key(name), describe(v), "an integer " + min + ".." + max);
    }
    if (value < min || value > max) {
      throw ConfigException.invalid(key(name), value, min + ".." + max);
    }
    return value;
  }

  int port(String name, int defaultValue, int min) {
    return (int) integer(name, defaultValue, min, 65535);
  }

  boolean bool(String name, boolean defaultValue) {
    JsonNode v = raw(name);
    if (v == null) {
      return defaultValue;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    String t = v.asText().trim().toLowerCase(Locale.ROOT);
    if (v.isTextual() && (t.equals("true") || t.equals("false"))) {
      return t.equals("true");
    }
    throw ConfigException.invalid(key(name), describe(v), "true or false");
  }

  /** A duration in seconds: {@code 600}, {@code 600s}, {@code 10m} or {@code 1h}. */
  Duration seconds(String name, long defaultSeconds, long min, long max) {
    JsonNode v = raw(name);
    if (v == null) {
      return Duration.ofSeconds(defaultSeconds);
    }
    String expectation = "seconds " + min + ".." + max + " (or with unit s, m, h)";
    var m = DURATION.matcher(v.isValueNode() ? v.asText().trim() : "");
    if (!(v.isIntegralNumber() || v.isTextual()) || !m.matches()) {
      throw ConfigException.invalid(key(name), describe(v), expectation);
    }
    long n = Long.parseLong(m.group(1));
    long s =
        switch (m.group(2)) {
          case "m" -> n * 60;
          case "h" -> n * 3600;
          default -> n;
        };
    if (s < min || s > max) {
      throw ConfigException.invalid(key(name), v.asText(), expectation);
    }
    return Duration.ofSeconds(s);
  }

  /** An IP address literal; host names are refused so no lookup happens at start. */
  InetAddress address(String name, String defaultValue) {
    String text = string(name, defaultValue);
    return text == null ? null : parseAddress(key(name), text);
  }

  static InetAddress parseAddress(String key, String text) {
    String t = text.trim();
    boolean literal =
        IPV4.matcher(t).matches()
            || (t.indexOf(':') >= 0 && t.matches("[0-9A-Fa-f:.]+(%[0-9A-Za-z_.]+)?"));
    if (literal) {
      try {
        return InetAddress.getByName(t);
      } catch (UnknownHostException | SecurityException e) {
        // falls through
      }
    }
    throw ConfigException.invalid(key, text, "an IPv4 or IPv6 address literal");
  }

  Path path(String name) {
    String text = string(name, null);
    if (text == null) {
      return null;
    }
    try {
      return Path.of(text.trim());
    } catch (InvalidPathException e) {
      throw ConfigException.invalid(key(name), text, "a file path");
    }
  }

  /** A list of scalars; a single scalar counts as a list of one. */
  List<String> strings(String name) {
    JsonNode v = raw(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        JsonNode e = v.get(i);
        if (e == null || !e.isValueNode() || e.isNull()) {
          throw ConfigException.invalid(key(name) + "[" + i + "]", describe(e), "a single value");
        }
        out.add(e.asText());
      }
      return out;
    }
    if (v.isValueNode()) {
      out.add(v.asText());
      return out;
    }
    throw ConfigException.invalid(key(name), describe(v), "a value or a list of values");
  }

  /** Refuses every key of this mapping that no reader asked for. */
  void finish() {
    if (node == null) {
      return;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!known.contains(n)) {
        throw ConfigException.invalid(key(n), "unknown key", "one of " + String.join(", ", known));
      }
    }
  }

  static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "empty";
    }
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v instanceof POJONode) {
      return "a value given on the command line";
    }
    return v.asText();
  }
}
