package org.tafel.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The flags of {@code tafel serve}. Each flag sets one configuration key (docs/configuration.md); a
 * flag wins over the YAML file, and a repeatable flag replaces the file's list.
 *
 * @param configFile {@code --config FILE}, or null
 * @param overlay the keys the flags set, shaped like the YAML file
 * @param exitOnStdinClose {@code --exit-on-stdin-close}: exit when stdin reaches end of file (for
 *     tests that start the server as a child process)
 * @param warnings what the caller should log at WARN (secrets on the command line)
 * @param help {@code --help}
 */
public record CommandLine(
    Path configFile,
    ObjectNode overlay,
    boolean exitOnStdinClose,
    List<String> warnings,
    boolean help) {

  private enum Kind {
    VALUE,
    FLAG,
    LIST,
    SECRET,
    SECRET_FILE,
    USER
  }

  private record Option(String key, Kind kind, String valueName, String description) {}

  private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

  static {
    value("--data", "data-dir", "DIR", "data directory (default ./data)");
    value("--bind", "bind", "ADDR", "address of the service listeners (default 127.0.0.1)");
    value("--admin-bind", "admin.bind", "ADDR", "address of the admin port (default 127.0.0.1)");
    value("--only", "only", "SERVICE[,SERVICE]", "services to start: relay, signaling, blob");
    OPTIONS.put(
        "--insecure", new Option("insecure", Kind.FLAG, "", "allow beyond loopback without TLS"));
    value("--turn-port", "relay.turn-port", "N", "STUN/TURN port, UDP and TCP (default 3478)");
    value("--turns-port", "relay.turns-port", "N", "STUN/TURN over TLS (default 5349, -1 off)");
    value(
        "--relay-ports", "relay.relay-ports", "MIN-MAX", "relay port range (default 49152-65535)");
    value("--external-ip", "relay.external-ip", "ADDR", "address advertised for relayed ports");
    OPTIONS.put(
        "--turn-secret",
        new Option("relay.turn-secret", Kind.SECRET, "S", "TURN REST shared secret (development)"));
    OPTIONS.put(
        "--turn-secret-file",
        new Option("relay.turn-secret", Kind.SECRET_FILE, "F", "file holding the TURN secret"));
    value("--realm", "relay.realm", "R", "long-term credential realm (default tafel)");
    OPTIONS.put(
        "--user",
        new Option("relay.users", Kind.USER, "NAME:PASSWORD", "static TURN user (repeatable)"));
    OPTIONS.put(
        "--allow-peer",
        new Option("relay.allow-peers", Kind.LIST, "CIDR", "open a peer range (repeatable)"));
    value("--admin-port", "admin.port", "N", "admin HTTP port (default 9090)");
    value("--signaling-port", "signaling.port", "N", "signaling port (default 8080)");
    value("--registration", "signaling.registration", "open|licence", "how identities register");
    value("--pow-bits", "signaling.pow-bits", "N", "open registration proof-of-work (default 20)");
    OPTIONS.put(
        "--relay-url",
        new Option(
            "signaling.relay-urls",
            Kind.LIST,
            "URL",
            "relay URL for turn-credentials (repeatable)"));
    value("--queue-depth", "signaling.queue-depth", "N", "envelopes queued per recipient");
    value("--send-rate", "signaling.send-rate", "N", "sends per second per identity");
    value("--send-burst", "signaling.send-burst", "N", "sends an identity may make at once");
    value("--blob-port", "blob.port", "N", "blob store port (default 8081)");
    value("--blob-max-bytes", "blob.max-bytes", "N", "largest blob in bytes");
    value("--blob-max-expiry", "blob.max-expiry", "SECONDS", "longest blob lifetime (30 days)");
    value("--max-lifetime", "relay.limits.max-lifetime", "SECONDS", "longest allocation lifetime");
    value(
        "--default-lifetime",
        "relay.limits.default-lifetime",
        "SECONDS",
        "default allocation lifetime");
    value(
        "--permission-lifetime",
        "relay.limits.permission-lifetime",
        "SECONDS",
        "permission lifetime");
    value(
        "--channel-lifetime",
        "relay.limits.channel-lifetime",
        "SECONDS",
        "channel binding lifetime");
    value(
        "--allocations-per-user", "relay.limits.allocations-per-user", "N", "allocations per user");
    value("--allocations-total", "relay.limits.allocations-total", "N", "allocations on this node");
    value("--bandwidth", "relay.limits.bandwidth", "BYTES_PER_S", "per allocation and direction");
    value("--relay-threads", "relay.threads", "N", "relay event loops (0 = cores)");
    value("--tls-cert", "tls.certificate", "FILE", "PEM certificate chain");
    value("--tls-key", "tls.private-key", "FILE", "PEM PKCS#8 private key");
  }

  private static void value(String flag, String key, String valueName, String description) {
    OPTIONS.put(flag, new Option(key, Kind.VALUE, valueName, description));
  }

  /** Parses the arguments after {@code serve}. Throws {@link ConfigException} for a bad flag. */
  public static CommandLine parse(List<String> args) {
    ObjectNode overlay = JsonNodeFactory.instance.objectNode();
    List<String> warnings = new ArrayList<>();
    Set<String> listsStarted = new HashSet<>();
    Path config = null;
    boolean exitOnStdinClose = false;
    boolean help = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (flag.equals("--help") || flag.equals("-h")) {
        help = true;
        continue;
      }
      if (flag.equals("--exit-on-stdin-close")) {
        exitOnStdinClose = true;
        continue;
      }
      Option option = OPTIONS.get(flag);
      if (!flag.equals("--config") && option == null) {
        throw new ConfigException(
            arg.startsWith("-")
                ? "unknown flag " + flag + " (see: tafel serve --help)"
                : "unexpected argument '" + arg + "' (expected: flags; see: tafel serve --help)");
      }
      if (option != null && option.kind() == Kind.FLAG) {
        if (value != null) {
          throw ConfigException.invalid(flag, value, "no value");
        }
        put(overlay, option.key(), JsonNodeFactory.instance.booleanNode(true));
        continue;
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw ConfigException.invalid(
              flag, "missing value", option == null ? "FILE" : option.valueName());
        }
        value = args.get(++i);
      }
      if (flag.equals("--config")) {
        config = Path.of(value);
        continue;
      }
      switch (option.kind()) {
        case VALUE -> put(overlay, option.key(), JsonNodeFactory.instance.textNode(value));
        case LIST ->
            list(overlay, option.key(), listsStarted).add(JsonNodeFactory.instance.textNode(value));
        case SECRET -> {
          warnings.add(
              flag
                  + ": secrets on the command line are for development (they show in ps and shell"
                  + " history); use --turn-secret-file or secret://file/... in the config");
          put(overlay, option.key(), new POJONode(Secret.fromCommandLine(flag, value)));
        }
        case SECRET_FILE ->
            put(
                overlay,
                option.key(),
                JsonNodeFactory.instance.textNode(
                    SecretResolver.FILE_PREFIX
                        + Path.of(value).toAbsolutePath().normalize().toString().substring(1)));
        case USER -> {
          int colon = value.indexOf(':');
          if (colon <= 0 || colon == value.length() - 1) {
            throw ConfigException.invalid(
                flag, "a value without NAME:PASSWORD form (not shown)", "NAME:PASSWORD");
          }
          if (listsStarted.stream().noneMatch(k -> k.equals(option.key()))) {
            warnings.add(
                flag
                    + ": passwords on the command line are for development; use relay.users with"
                    + " secret:// references in the config");
          }
          ObjectNode user = JsonNodeFactory.instance.objectNode();
          user.put("name", value.substring(0, colon));
          user.set(
              "password", new POJONode(Secret.fromCommandLine(flag, value.substring(colon + 1))));
          list(overlay, option.key(), listsStarted).add(user);
        }
        default -> throw new IllegalStateException(option.kind().name());
      }
    }
    return new CommandLine(config, overlay, exitOnStdinClose, List.copyOf(warnings), help);
  }

  private static void put(ObjectNode root, String dottedKey, JsonNode value) {
    String[] parts = dottedKey.split("\\.");
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      node = child instanceof ObjectNode o ? o : node.putObject(parts[i]);
    }
    node.set(parts[parts.length - 1], value);
  }

  /** The list a repeatable flag fills; its first use replaces whatever the YAML file had. */
  private static ArrayNode list(ObjectNode root, String dottedKey, Set<String> started) {
    if (started.add(dottedKey)) {
      put(root, dottedKey, JsonNodeFactory.instance.arrayNode());
    }
    String[] parts = dottedKey.split("\\.");
    JsonNode node = root;
    for (String p : parts) {
      node = node.get(p);
    }
    return (ArrayNode) node;
  }

  /** The usage text of {@code tafel serve}. */
  public static String usage() {
    StringBuilder out = new StringBuilder("usage: tafel serve [flags]\n\n");
    out.append(String.format("  %-38s %s%n", "--config FILE", "YAML configuration file"));
    OPTIONS.forEach(
        (flag, o) ->
            out.append(
                String.format(
                    "  %-38s %s (%s)%n",
                    flag + (o.valueName().isEmpty() ? "" : " " + o.valueName()),
                    o.description(),
                    o.key())));
    out.append(
        String.format(
            "  %-38s %s%n", "--exit-on-stdin-close", "exit when stdin closes (test harnesses)"));
    return out.toString();
  }
}
