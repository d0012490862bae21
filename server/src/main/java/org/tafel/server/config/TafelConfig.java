package org.tafel.server.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tafel.protocol.net.Cidr;
import org.tafel.relay.RelayConfig;

/**
 * The whole validated configuration of one Tafel JVM: one YAML file plus command-line flags, bound
 * by {@link ConfigLoader}. Cross-field rules live in the constructors; docs/configuration.md lists
 * every key.
 *
 * @param dataDir {@code data-dir}: secrets, run files and (later) stored state (default ./data)
 * @param heap {@code heap}: heap size the JVM should run with, e.g. {@code 512m}, or null when not
 *     set; the launcher sets the heap (TAFEL_HEAP, default 512m) and the server warns when the
 *     running heap differs from a configured one
 * @param bind {@code bind}: address of the service listeners (default 127.0.0.1)
 * @param insecure {@code insecure}: allow binding beyond loopback without TLS (testing only)
 * @param only {@code only}: the services to start (default all)
 * @param tls {@code tls}: certificate and key for the TLS listeners, or none
 */
public record TafelConfig(
    Path dataDir,
    String heap,
    InetAddress bind,
    boolean insecure,
    Set<Service> only,
    Tls tls,
    Relay relay,
    Admin admin,
    Signaling signaling,
    Blob blob) {

  public static final String DEFAULT_DATA_DIR = "./data";
  public static final String DEFAULT_HEAP = "512m";

  public TafelConfig {
    Objects.requireNonNull(dataDir, "data-dir");
    Objects.requireNonNull(bind, "bind");
    only = only.isEmpty() ? EnumSet.noneOf(Service.class) : EnumSet.copyOf(only);
    only = Set.copyOf(only);
    Objects.requireNonNull(tls, "tls");
    checkPortsDistinct(relay, admin, signaling, blob);
    if (!bind.isLoopbackAddress() && !insecure && !tls.isConfigured()) {
      throw new ConfigException(
          "bind: "
              + bind.getHostAddress()
              + " is beyond loopback, so the services need TLS (expected: tls.certificate and"
              + " tls.private-key, flags --tls-cert FILE --tls-key FILE; or --insecure for a test"
              + " network)");
    }
  }

  /** True when {@code service} is in {@code only}. */
  public boolean runs(Service service) {
    return only.contains(service);
  }

  private static Map<String, Integer> servicePorts(Admin admin, Signaling signaling, Blob blob) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("admin.port", admin.port());
    ports.put("signaling.port", signaling.port());
    ports.put("blob.port", blob.port());
    return ports;
  }

  private static void checkPortsDistinct(Relay relay, Admin admin, Signaling signaling, Blob blob) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("relay.turn-port", relay.turnPort());
    ports.put("relay.turns-port", relay.turnsPort());
    ports.putAll(servicePorts(admin, signaling, blob));
    List<Map.Entry<String, Integer>> seen = new ArrayList<>();
    for (Map.Entry<String, Integer> p : ports.entrySet()) {
      if (p.getValue() > 0) {
        for (Map.Entry<String, Integer> earlier : seen) {
          if (earlier.getValue().equals(p.getValue())) {
            throw ConfigException.invalid(
                p.getKey(), p.getValue(), "a port different from " + earlier.getKey());
          }
        }
        seen.add(p);
      }
    }
  }

  /**
   * The relay's config. {@code turnSecrets} are the effective secrets (configured or generated);
   * {@code adminPort} is the bound admin port, protected like the signaling and blob ports.
   */
  public RelayConfig toRelayConfig(List<Secret> turnSecrets, int adminPort) {
    Set<Integer> protectedPorts = new java.util.HashSet<>();
    for (int p : new int[] {adminPort, signaling.port(), blob.port()}) {
      if (p > 0) {
        protectedPorts.add(p);
      }
    }
    Map<String, String> users = new LinkedHashMap<>();
    relay.users().forEach((name, password) -> users.put(name, password.text()));
    Limits l = relay.limits();
    try {
      return new RelayConfig(
          bind,
          relay.turnPort(),
          relay.turnsPort(),
          relay.relayPorts().min(),
          relay.relayPorts().max(),
          relay.externalIp(),
          relay.realm(),
          turnSecrets.stream().map(Secret::value).toList(),
          users,
          relay.allowPeers(),
          protectedPorts,
          tls.certificate(),
          tls.privateKey(),
          new RelayConfig.Limits(
              l.allocationsPerUser(),
              l.allocationsTotal(),
              l.permissionsPerAllocation(),
              l.bandwidth(),
              l.defaultLifetime(),
              l.maxLifetime(),
              l.permissionLifetime(),
              l.channelLifetime(),
              l.nonceLifetime()),
          relay.threads());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("relay." + e.getMessage(), e);
    }
  }

  /**
   * @param certificate {@code tls.certificate}: PEM certificate chain (flag --tls-cert)
   * @param privateKey {@code tls.private-key}: PEM PKCS#8 key (flag --tls-key)
   */
  public record Tls(Path certificate, Path privateKey) {
    public Tls {
      if ((certificate == null) != (privateKey == null)) {
        throw new ConfigException(
            "tls.certificate/tls.private-key: only one is set (expected: both or neither)");
      }
    }

    public static Tls none() {
      return new Tls(null, null);
    }

    public boolean isConfigured() {
      return certificate != null;
    }
  }

  /**
   * The media relay (RFC 8656). See docs/configuration.md for the keys.
   *
   * @param turnSecrets TURN REST shared secrets, newest first; empty and no users means one is
   *     generated into the data directory
   * @param users static long-term users, name to password
   */
  public record Relay(
      int turnPort,
      int turnsPort,
      PortRange relayPorts,
      InetAddress externalIp,
      String realm,
      List<Secret> turnSecrets,
      Map<String, Secret> users,
      List<Cidr> allowPeers,
      int threads,
      Limits limits) {
    public static final int DEFAULT_TURN_PORT = RelayConfig.DEFAULT_TURN_PORT;
    public static final int DEFAULT_TURNS_PORT = RelayConfig.DEFAULT_TURNS_PORT;
    public static final PortRange DEFAULT_RELAY_PORTS =
        new PortRange(RelayConfig.DEFAULT_RELAY_PORT_MIN, RelayConfig.DEFAULT_RELAY_PORT_MAX);
    public static final String DEFAULT_REALM = RelayConfig.DEFAULT_REALM;

    public Relay {
      turnSecrets = List.copyOf(turnSecrets);
      users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(users));
      allowPeers = List.copyOf(allowPeers);
      Objects.requireNonNull(limits, "limits");
    }

    /** True when neither a shared secret nor a static user is configured. */
    public boolean needsGeneratedSecret() {
      return turnSecrets.isEmpty() && users.isEmpty();
    }
  }

  /**
   * Relay quotas and lifetimes, all under {@code relay.limits}.
   *
   * @param bandwidth relayed bytes per second per allocation and direction, 0 = unlimited
   */
  public record Limits(
      int allocationsPerUser,
      int allocationsTotal,
      int permissionsPerAllocation,
      long bandwidth,
      Duration defaultLifetime,
      Duration maxLifetime,
      Duration permissionLifetime,
      Duration channelLifetime,
      Duration nonceLifetime) {
    private static final RelayConfig.Limits DEFAULTS = RelayConfig.Limits.defaults();
    public static final int DEFAULT_ALLOCATIONS_PER_USER = DEFAULTS.allocationsPerUser();
    public static final int DEFAULT_ALLOCATIONS_TOTAL = DEFAULTS.allocationsTotal();
    public static final int DEFAULT_PERMISSIONS_PER_ALLOCATION =
        DEFAULTS.permissionsPerAllocation();
    public static final long DEFAULT_BANDWIDTH = DEFAULTS.bytesPerSecondPerAllocation();
    public static final long DEFAULT_DEFAULT_LIFETIME = DEFAULTS.defaultLifetime().toSeconds();
    public static final long DEFAULT_MAX_LIFETIME = DEFAULTS.maxLifetime().toSeconds();
    public static final long DEFAULT_PERMISSION_LIFETIME =
        DEFAULTS.permissionLifetime().toSeconds();
    public static final long DEFAULT_CHANNEL_LIFETIME = DEFAULTS.channelLifetime().toSeconds();
    public static final long DEFAULT_NONCE_LIFETIME = DEFAULTS.nonceLifetime().toSeconds();

    public Limits {
      if (defaultLifetime.compareTo(maxLifetime) > 0) {
        throw ConfigException.invalid(
            "relay.limits.default-lifetime",
            defaultLifetime.toSeconds(),
            "at most relay.limits.max-lifetime, " + maxLifetime.toSeconds());
      }
    }
  }

  /** {@code admin.bind} (default 127.0.0.1) and {@code admin.port} (default 9090). */
  public record Admin(InetAddress bind, int port) {
    public static final int DEFAULT_PORT = 9090;
  }

  /**
   * The signaling service (docs/configuration.md, docs/protocol.md).
   *
   * @param port {@code signaling.port} (default 8080)
   * @param registration {@code signaling.registration}: {@code open} (proof-of-work) or {@code
   *     licence}; null means open on loopback and licence beyond it (DESIGN.md §2)
   * @param powBits {@code signaling.pow-bits}: open registration's proof-of-work (default 20)
   * @param relayUrls {@code signaling.relay-urls}: handed out with {@code turn-credentials}; empty
   *     means derived from the relay of this process (its bind or external address and ports)
   * @param queueDepth {@code signaling.queue-depth}: envelopes queued per recipient
   * @param sendRate {@code signaling.send-rate}: sends per second per identity
   * @param sendBurst {@code signaling.send-burst}: sends an identity may make at once
   * @param normalLifetimeDays {@code signaling.normal-lifetime-days}: normal queue class lifetime
   */
  public record Signaling(
      int port,
      String registration,
      int powBits,
      List<String> relayUrls,
      int queueDepth,
      int sendRate,
      int sendBurst,
      int normalLifetimeDays) {
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_POW_BITS = 20;
    public static final int DEFAULT_NORMAL_LIFETIME_DAYS = 30;

    public Signaling {
      relayUrls = List.copyOf(relayUrls);
      if (registration != null && !registration.equals("open") && !registration.equals("licence")) {
        throw ConfigException.invalid("signaling.registration", registration, "open or licence");
      }
    }

    /** Defaults except the port. */
    public Signaling(int port) {
      this(
          port,
          null,
          DEFAULT_POW_BITS,
          List.of(),
          org.tafel.signaling.SignalingConfig.Limits.DEFAULT_QUEUE_DEPTH,
          (int) org.tafel.signaling.SignalingConfig.Limits.DEFAULT_SEND_RATE,
          org.tafel.signaling.SignalingConfig.Limits.DEFAULT_SEND_BURST,
          DEFAULT_NORMAL_LIFETIME_DAYS);
    }
  }

  /**
   * The blob store (docs/blob-store.md).
   *
   * @param port {@code blob.port} (default 8081)
   * @param maxBytes {@code blob.max-bytes}: largest blob (default 100 MiB)
   * @param defaultExpiry {@code blob.default-expiry}: lifetime of a blob whose upload names none
   *     (default 14 days)
   * @param maxExpiry {@code blob.max-expiry}: longest lifetime an upload may ask for (default 30
   *     days)
   * @param quotaBytes {@code blob.quota-bytes}: bytes one uploader (pseudonym) may hold (default 5
   *     GiB, at least {@code max-bytes}; 507 beyond)
   * @param uploadsPerMinute {@code blob.uploads-per-minute}: per uploader (default 60; 429 beyond)
   * @param concurrentUploads {@code blob.concurrent-uploads}: bodies received at once (default 64;
   *     503 beyond)
   * @param idleTimeout {@code blob.idle-timeout}: a connection silent this long is closed (default
   *     60 s)
   */
  public record Blob(
      int port,
      long maxBytes,
      Duration defaultExpiry,
      Duration maxExpiry,
      long quotaBytes,
      int uploadsPerMinute,
      int concurrentUploads,
      Duration idleTimeout) {
    public static final int DEFAULT_PORT = 8081;
    public static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
    public static final long DEFAULT_DEFAULT_EXPIRY = Duration.ofDays(14).toSeconds();
    public static final long DEFAULT_MAX_EXPIRY = Duration.ofDays(30).toSeconds();
    public static final long DEFAULT_QUOTA_BYTES = 5L << 30;
    public static final int DEFAULT_UPLOADS_PER_MINUTE = 60;
    public static final int DEFAULT_CONCURRENT_UPLOADS = 64;
    public static final long DEFAULT_IDLE_TIMEOUT = 60;

    public Blob {
      if (defaultExpiry.compareTo(maxExpiry) > 0) {
        throw ConfigException.invalid(
            "blob.default-expiry",
            defaultExpiry.toSeconds(),
            "at most blob.max-expiry, " + maxExpiry.toSeconds());
      }
      if (quotaBytes < maxBytes) {
        throw ConfigException.invalid(
            "blob.quota-bytes", quotaBytes, "at least blob.max-bytes, " + maxBytes);
      }
    }
  }
}
