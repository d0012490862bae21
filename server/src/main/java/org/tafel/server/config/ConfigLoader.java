package org.tafel.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tafel.protocol.net.Cidr;
import org.tafel.signaling.SignalingConfig;

/**
 * Binds the YAML file, overlaid with the command-line flags, to a {@link TafelConfig}. The YAML
 * tree is read key by key (rather than by reflection) so that every error names the full key, the
 * value and the expectation, and unknown keys are refused.
 */
public final class ConfigLoader {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private final SecretResolver secrets;

  public ConfigLoader(SecretResolver secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
  }

  /** Loads {@code file} (or nothing when null), applies {@code overlay} and validates. */
  public TafelConfig load(Path file, ObjectNode overlay) {
    ObjectNode tree = file == null ? JsonNodeFactory.instance.objectNode() : readYaml(file);
    merge(tree, overlay);
    return bind(tree);
  }

  /** Validates a YAML document given as text (tests, examples). */
  public TafelConfig loadText(String yaml, ObjectNode overlay) {
    ObjectNode tree;
    try {
      tree = asRoot(YAML.readTree(yaml), "config");
    } catch (JacksonException e) {
      throw yamlError("config", e);
    }
    merge(tree, overlay);
    return bind(tree);
  }

  static ObjectNode readYaml(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw ConfigException.invalid(
          "--config",
          file + " cannot be read (" + e.getClass().getSimpleName() + ")",
          "a readable YAML file");
    }
    try {
      return asRoot(YAML.readTree(text), file.toString());
    } catch (JacksonException e) {
      throw yamlError(file.toString(), e);
    }
  }

  private static ObjectNode asRoot(JsonNode root, String name) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!root.isObject()) {
      throw ConfigException.invalid(name, Section.describe(root), "a YAML mapping of keys");
    }
    return (ObjectNode) root;
  }

  private static ConfigException yamlError(String name, JacksonException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new ConfigException(
        name + ": not valid YAML" + where + " (" + e.getOriginalMessage() + ")", e);
  }

  /** Copies every leaf of {@code overlay} into {@code base}; lists are replaced, not appended. */
  static void merge(ObjectNode base, ObjectNode overlay) {
    Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      JsonNode existing = base.get(f.getKey());
      if (f.getValue().isObject() && existing != null && existing.isObject()) {
        merge((ObjectNode) existing, (ObjectNode) f.getValue());
      } else {
        base.set(f.getKey(), f.getValue().deepCopy());
      }
    }
  }

  private TafelConfig bind(ObjectNode tree) {
    Section root = new Section("", tree);
    String dataDir = root.string("data-dir", TafelConfig.DEFAULT_DATA_DIR);
    String heap = root.string("heap", null);
    if (heap != null && !heap.trim().matches("[1-9]\\d{0,6}[kKmMgG]")) {
      throw ConfigException.invalid("heap", heap, "a size like 512m or 2g");
    }
    InetAddress bind = root.address("bind", "127.0.0.1");
    boolean insecure = root.bool("insecure", false);
    Set<Service> only = EnumSet.noneOf(Service.class);
    List<String> onlyNames = root.strings("only");
    if (onlyNames.isEmpty()) {
      only = EnumSet.allOf(Service.class);
    }
    for (String n : onlyNames) {
      for (String part : n.split(",", -1)) {
        only.add(Service.parse("only", part));
      }
    }
    TafelConfig.Tls tls = tls(root.section("tls"));
    TafelConfig.Relay relay = relay(root.section("relay"));
    Section admin = root.section("admin");
    var adminConfig =
        new TafelConfig.Admin(
            admin.address("bind", "127.0.0.1"),
            admin.port("port", TafelConfig.Admin.DEFAULT_PORT, 0));
    admin.finish();
    Section signaling = root.section("signaling");
    var signalingConfig = signaling(signaling);
    Section blob = root.section("blob");
    int blobPort = blob.port("port", TafelConfig.Blob.DEFAULT_PORT, 0);
    long blobMaxBytes = blob.integer("max-bytes", TafelConfig.Blob.DEFAULT_MAX_BYTES, 1, 1L << 40);
    var blobConfig =
        new TafelConfig.Blob(
            blobPort,
            blobMaxBytes,
            blob.seconds(
                "default-expiry", TafelConfig.Blob.DEFAULT_DEFAULT_EXPIRY, 1, 3650L * 86400),
            blob.seconds("max-expiry", TafelConfig.Blob.DEFAULT_MAX_EXPIRY, 1, 3650L * 86400),
            // the default quota grows with a raised max-bytes, so one large blob always fits
            blob.integer(
                "quota-bytes",
                Math.max(TafelConfig.Blob.DEFAULT_QUOTA_BYTES, blobMaxBytes),
                1,
                1L << 50),
            (int)
                blob.integer(
                    "uploads-per-minute",
                    TafelConfig.Blob.DEFAULT_UPLOADS_PER_MINUTE,
                    1,
                    1_000_000),
            (int)
                blob.integer(
                    "concurrent-uploads", TafelConfig.Blob.DEFAULT_CONCURRENT_UPLOADS, 1, 100_000),
            blob.seconds("idle-timeout", TafelConfig.Blob.DEFAULT_IDLE_TIMEOUT, 1, 3600));
    blob.finish();
    root.finish();
    return new TafelConfig(
        Path.of(dataDir.trim()),
        heap == null ? null : heap.trim(),
        bind,
        insecure,
        only,
        tls,
        relay,
        adminConfig,
        signalingConfig,
        blobConfig);
  }

  private static TafelConfig.Signaling signaling(Section s) {
    var defaults = new TafelConfig.Signaling(TafelConfig.Signaling.DEFAULT_PORT);
    var config =
        new TafelConfig.Signaling(
            s.port("port", TafelConfig.Signaling.DEFAULT_PORT, 0),
            s.string("registration", null),
            (int) s.integer("pow-bits", TafelConfig.Signaling.DEFAULT_POW_BITS, 0, 40),
            s.strings("relay-urls"),
            (int) s.integer("queue-depth", defaults.queueDepth(), 1, 10_000_000),
            (int) s.integer("send-rate", defaults.sendRate(), 1, 1_000_000),
            (int) s.integer("send-burst", defaults.sendBurst(), 1, 10_000_000),
            (int)
                s.integer(
                    "normal-lifetime-days",
                    TafelConfig.Signaling.DEFAULT_NORMAL_LIFETIME_DAYS,
                    1,
                    3650));
    for (String url : config.relayUrls()) {
      if (!SignalingConfig.isRelayUrl(url)) {
        throw ConfigException.invalid(
            s.key("relay-urls"), url, "turn:HOST:PORT[?transport=udp|tcp] or turns:HOST:PORT");
      }
    }
    s.finish();
    return config;
  }

  private static TafelConfig.Tls tls(Section s) {
    Path cert = s.path("certificate");
    Path key = s.path("private-key");
    s.finish();
    checkReadable(s.key("certificate"), cert);
    checkReadable(s.key("private-key"), key);
    return new TafelConfig.Tls(cert, key);
  }

  private static void checkReadable(String key, Path file) {
    if (file != null && !Files.isReadable(file)) {
      throw ConfigException.invalid(key, file, "a readable PEM file");
    }
  }

  private TafelConfig.Relay relay(Section s) {
    int turnPort = s.port("turn-port", TafelConfig.Relay.DEFAULT_TURN_PORT, 0);
    int turnsPort = s.port("turns-port", TafelConfig.Relay.DEFAULT_TURNS_PORT, -1);
    String range = s.string("relay-ports", null);
    PortRange relayPorts =
        range == null
            ? TafelConfig.Relay.DEFAULT_RELAY_PORTS
            : PortRange.parse(s.key("relay-ports"), range);
    InetAddress externalIp = s.address("external-ip", null);
    String realm = s.string("realm", TafelConfig.Relay.DEFAULT_REALM);
    if (realm.isBlank() || realm.length() > 127) {
      throw ConfigException.invalid(s.key("realm"), "'" + realm + "'", "1 to 127 characters");
    }
    List<Secret> turnSecrets = turnSecrets(s.key("turn-secret"), s.raw("turn-secret"));
    Map<String, Secret> users = users(s.key("users"), s.raw("users"));
    List<Cidr> allowPeers = new ArrayList<>();
    List<String> peers = s.strings("allow-peers");
    for (int i = 0; i < peers.size(); i++) {
      try {
        allowPeers.add(Cidr.parse(s.key("allow-peers"), peers.get(i).trim()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage(), e);
      }
    }
    int threads = (int) s.integer("threads", 0, 0, 256);
    TafelConfig.Limits limits = limits(s.section("limits"));
    s.finish();
    return new TafelConfig.Relay(
        turnPort,
        turnsPort,
        relayPorts,
        externalIp,
        realm,
        turnSecrets,
        users,
        allowPeers,
        threads,
        limits);
  }

  private static TafelConfig.Limits limits(Section s) {
    var limits =
        new TafelConfig.Limits(
            (int)
                s.integer(
                    "allocations-per-user",
                    TafelConfig.Limits.DEFAULT_ALLOCATIONS_PER_USER,
                    1,
                    1_000_000),
            (int)
                s.integer(
                    "allocations-total",
                    TafelConfig.Limits.DEFAULT_ALLOCATIONS_TOTAL,
                    1,
                    10_000_000),
            (int)
                s.integer(
                    "permissions-per-allocation",
                    TafelConfig.Limits.DEFAULT_PERMISSIONS_PER_ALLOCATION,
                    1,
                    65_536),
            s.integer("bandwidth", TafelConfig.Limits.DEFAULT_BANDWIDTH, 0, 1L << 40),
            s.seconds("default-lifetime", TafelConfig.Limits.DEFAULT_DEFAULT_LIFETIME, 1, 86_400),
            s.seconds("max-lifetime", TafelConfig.Limits.DEFAULT_MAX_LIFETIME, 1, 86_400),
            s.seconds(
                "permission-lifetime", TafelConfig.Limits.DEFAULT_PERMISSION_LIFETIME, 1, 86_400),
            s.seconds("channel-lifetime", TafelConfig.Limits.DEFAULT_CHANNEL_LIFETIME, 1, 86_400),
            s.seconds("nonce-lifetime", TafelConfig.Limits.DEFAULT_NONCE_LIFETIME, 1, 86_400));
    s.finish();
    return limits;
  }

  private List<Secret> turnSecrets(String key, JsonNode v) {
    List<Secret> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        out.add(secret(key + "[" + i + "]", v.get(i)));
      }
    } else {
      out.add(secret(key, v));
    }
    return out;
  }

  private Secret secret(String key, JsonNode v) {
    if (v instanceof POJONode p && p.getPojo() instanceof Secret s) {
      return s;
    }
    if (v == null || !v.isTextual()) {
      throw ConfigException.invalid(
          key,
          v == null || v.isContainerNode() ? Section.describe(v) : "a literal secret (not shown)",
          SecretResolver.EXPECTATION);
    }
    return secrets.resolve(key, v.asText().trim());
  }

  private Map<String, Secret> users(String key, JsonNode v) {
    Map<String, Secret> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!v.isArray()) {
      throw ConfigException.invalid(key, Section.describe(v), "a list of {name, password}");
    }
    for (int i = 0; i < v.size(); i++) {
      Section u = new Section(key + "[" + i + "]", v.get(i));
      String name = u.string("name", null);
      JsonNode password = u.raw("password");
      u.finish();
      if (name == null || name.isEmpty() || name.length() > 513 || name.indexOf(':') >= 0) {
        throw ConfigException.invalid(
            u.key("name"),
            name == null ? "missing" : "'" + name + "'",
            "1 to 513 characters without ':'");
      }
      if (password == null) {
        throw ConfigException.invalid(u.key("password"), "missing", SecretResolver.EXPECTATION);
      }
      Secret secret = secret(u.key("password"), password);
      if (out.put(name, secret) != null) {
        throw ConfigException.invalid(u.key("name"), "'" + name + "' twice", "each user once");
      }
    }
    return out;
  }
}
