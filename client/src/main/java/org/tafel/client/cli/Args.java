package org.tafel.client.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --flag value} / {@code --flag=value} options and positional arguments. */
final class Args {
  final Map<String, String> flags = new HashMap<>();
  final List<String> positional = new ArrayList<>();

  static Args parse(List<String> args, Set<String> allowed) throws UsageException {
    Args a = new Args();
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      if (s.equals("--")) {
        a.positional.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (s.startsWith("--")) {
        String name = s;
        String value;
        int eq = s.indexOf('=');
        if (eq > 0) {
          name = s.substring(0, eq);
          value = s.substring(eq + 1);
        } else if (i + 1 < args.size()) {
          value = args.get(++i);
        } else {
          throw new UsageException(name + ": missing value");
        }
        if (!allowed.contains(name)) {
          throw new UsageException("unknown flag " + name + " (expected: " + allowed + ")");
        }
        a.flags.put(name, value);
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  String get(String flag) {
    return flags.get(flag);
  }

  long seconds(String flag, long dflt, long max) throws UsageException {
    String v = flags.get(flag);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 1 || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + ": " + v + " (expected: 1.." + max + " seconds)");
    }
  }
}
