package org.tafel.protocol.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Counters and gauges, rendered in the Prometheus text exposition format 0.0.4. Thread-safe.
 *
 * <p>A metric family is a name with its help text and type; each distinct set of labels in it is
 * one series. Labels are given as alternating name/value constants, e.g. {@code
 * counter("tafel_relay_bytes_total", "Bytes relayed.", "direction", "client_to_peer")}. Label
 * values must come from a fixed set of constants, never from identifiers or addresses: values
 * longer than 64 characters or outside {@code [A-Za-z0-9_.-]} are refused.
 *
 * <p>Create one registry per process and pass it in; there is no static instance.
 */
public final class MetricsRegistry {

  /** The HTTP {@code Content-Type} of {@link #writeText(StringBuilder)}'s output. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private enum Type {
    COUNTER("counter"),
    GAUGE("gauge");

    final String text;

    Type(String text) {
      this.text = text;
    }
  }

  private static final class Family {
    final String name;
    final String help;
    final Type type;
    final String[] labelNames;

    /** Rendered label set ({@code {a="1",b="2"}} or empty) to Counter or LongSupplier. */
    final Map<String, Object> series = new ConcurrentSkipListMap<>();

    Family(String name, String help, Type type, String[] labelNames) {
      this.name = name;
      this.help = help;
      this.type = type;
      this.labelNames = labelNames;
    }
  }

  private final Map<String, Family> families = new ConcurrentSkipListMap<>();

  /**
   * Returns the counter with this name and labels, creating it on first use; the same name and
   * labels always give the same counter, whatever the order of the label pairs.
   *
   * @param name metric name, {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; by convention ending in {@code
   *     _total}
   * @param help one line describing the metric
   * @param labelPairs alternating label name and value constants
   * @throws IllegalArgumentException on an invalid name, label name or label value, or if the name
   *     is already registered with another help text, type or set of label names
   */
  public Counter counter(String name, String help, String... labelPairs) {
    Family family = family(name, help, Type.COUNTER, labelPairs);
    String labels = renderLabels(labelPairs);
    synchronized (this) {
      return (Counter) family.series.computeIfAbsent(labels, k -> new Counter());
    }
  }

  /**
   * Registers a gauge whose value is read from {@code value} each time the registry is rendered.
   * {@code value} is called on the rendering thread and must be cheap and thread-safe.
   *
   * @throws IllegalArgumentException as for {@link #counter}, or if this name and labels already
   *     have a gauge
   */
  public void gauge(String name, String help, LongSupplier value, String... labelPairs) {
    Objects.requireNonNull(value, "value");
    Family family = family(name, help, Type.GAUGE, labelPairs);
    String labels = renderLabels(labelPairs);
    synchronized (this) {
      if (family.series.putIfAbsent(labels, value) != null) {
        throw new IllegalArgumentException(
            "gauge: '" + name + labels + "' (expected: registered once)");
      }
    }
  }

  /**
   * Appends every metric in text format 0.0.4: families sorted by name, each with one {@code #
   * HELP} and one {@code # TYPE} line, series sorted by their labels.
   */
  public void writeText(StringBuilder out) {
    for (Family family : families.values()) {
      if (family.series.isEmpty()) {
        continue;
      }
      out.append("# HELP ").append(family.name).append(' ');
      escapeHelp(family.help, out);
      out.append('\n');
      out.append("# TYPE ").append(family.name).append(' ').append(family.type.text).append('\n');
      for (Map.Entry<String, Object> series : family.series.entrySet()) {
        long value =
            series.getValue() instanceof Counter c
                ? c.get()
                : ((LongSupplier) series.getValue()).getAsLong();
        out.append(family.name).append(series.getKey()).append(' ').append(value).append('\n');
      }
    }
  }

  private synchronized Family family(String name, String help, Type type, String[] labelPairs) {
    Objects.requireNonNull(help, "help");
    if (name == null || !METRIC_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "metric name: '" + name + "' (expected: [a-zA-Z_:][a-zA-Z0-9_:]*)");
    }
    String[] labelNames = labelNames(name, labelPairs);
    Family family = families.get(name);
    if (family == null) {
      family = new Family(name, help, type, labelNames);
      families.put(name, family);
      return family;
    }
    if (family.type != type || !family.help.equals(help)) {
      throw new IllegalArgumentException(
          name
              + ": "
              + type.text
              + " '"
              + help
              + "' (expected: "
              + family.type.text
              + " '"
              + family.help
              + "' as first registered)");
    }
    if (!Arrays.equals(family.labelNames, labelNames)) {
      throw new IllegalArgumentException(
          name
              + ": labels "
              + Arrays.toString(labelNames)
              + " (expected: "
              + Arrays.toString(family.labelNames)
              + " as first registered)");
    }
    return family;
  }

  /** Validates the pairs and returns the label names, sorted. */
  private static String[] labelNames(String metric, String[] labelPairs) {
    if (labelPairs.length % 2 != 0) {
      throw new IllegalArgumentException(
          metric + ": " + labelPairs.length + " label strings (expected: name, value pairs)");
    }
    String[] names = new String[labelPairs.length / 2];
    for (int i = 0; i < labelPairs.length; i += 2) {
      String labelName = labelPairs[i];
      String labelValue = labelPairs[i + 1];
      if (labelName == null
          || !LABEL_NAME.matcher(labelName).matches()
          || labelName.startsWith("__")) {
        throw new IllegalArgumentException(
            metric
                + ": label name '"
                + labelName
                + "' (expected: [a-zA-Z_][a-zA-Z0-9_]* not starting with __)");
      }
      if (labelValue == null || !LABEL_VALUE.matcher(labelValue).matches()) {
        throw new IllegalArgumentException(
            metric
                + ": label "
                + labelName
                + "='"
                + labelValue
                + "' (expected: a constant of 1..64 characters from [A-Za-z0-9_.-];"
                + " identifiers must not be labels)");
      }
      names[i / 2] = labelName;
    }
    Arrays.sort(names);
    for (int i = 1; i < names.length; i++) {
      if (names[i].equals(names[i - 1])) {
        throw new IllegalArgumentException(
            metric + ": label name '" + names[i] + "' twice (expected: each name once)");
      }
    }
    return names;
  }

  /** {@code {a="1",b="2"}} sorted by label name, or empty; pairs are already validated. */
  private static String renderLabels(String[] labelPairs) {
    if (labelPairs.length == 0) {
      return "";
    }
    Integer[] order = new Integer[labelPairs.length / 2];
    for (int i = 0; i < order.length; i++) {
      order[i] = i * 2;
    }
    Arrays.sort(order, (x, y) -> labelPairs[x].compareTo(labelPairs[y]));
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < order.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(labelPairs[order[i]]).append("=\"");
      escapeLabelValue(labelPairs[order[i] + 1], sb);
      sb.append('"');
    }
    return sb.append('}').toString();
  }

  /** Help text escapes backslash and line feed. */
  private static void escapeHelp(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }

  /** Label values escape backslash, double quote and line feed. */
  private static void escapeLabelValue(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
  }
}
