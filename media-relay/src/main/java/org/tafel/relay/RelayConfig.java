package org.tafel.relay;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tafel.protocol.net.Cidr;

/**
 * Everything a {@link RelayServer} needs, validated once in the constructor. Defaults live in
 * {@link #defaults()}; error messages name the key, the value and the expectation.
 *
 * @param bindAddress address every listener and relay socket binds to (default 127.0.0.1)
 * @param turnPort STUN/TURN port for UDP and TCP (default 3478; 0 picks a free port)
 * @param turnsPort STUN/TURN over TLS (default 5349; 0 picks a free port; -1 disables TLS)
 * @param relayPortMin lowest relay port (inclusive)
 * @param relayPortMax highest relay port (inclusive)
 * @param externalAddress address advertised in XOR-RELAYED-ADDRESS (relay behind 1:1 NAT), or null
 * @param realm the long-term credential realm
 * @param turnSecrets TURN REST shared secrets, newest first (any accepted); may be empty
 * @param staticUsers static long-term users, name to password
 * @param allowedPeers ranges opened in the peer policy
 * @param protectedPorts ports of this host that relayed traffic never reaches (admin, signaling,
 *     blob store); the relay's own listener ports are added automatically
 * @param tlsCertificate PEM certificate chain for the TLS listener, or null for a self-signed one
 * @param tlsPrivateKey PEM PKCS#8 private key matching {@code tlsCertificate}, or null
 * @param limits quotas and lifetimes
 * @param eventLoopThreads number of event loops (0 = number of cores)
 */
public record RelayConfig(
    InetAddress bindAddress,
    int turnPort,
    int turnsPort,
    int relayPortMin,
    int relayPortMax,
    InetAddress externalAddress,
    String realm,
    List<byte[]> turnSecrets,
    Map<String, String> staticUsers,
    List<Cidr> allowedPeers,
    Set<Integer> protectedPorts,
    Path tlsCertificate,
    Path tlsPrivateKey,
    Limits limits,
    int eventLoopThreads) {

  public static final int DEFAULT_TURN_PORT = 3478;
  public static final int DEFAULT_TURNS_PORT = 5349;
  public static final int DEFAULT_RELAY_PORT_MIN = 49152;
  public static final int DEFAULT_RELAY_PORT_MAX = 65535;
  public static final String DEFAULT_REALM = "tafel";

  public RelayConfig {
    Objects.requireNonNull(bindAddress, "bind");
    checkPort("turn-port", turnPort, 0);
    checkPort("turns-port", turnsPort, -1);
    if (relayPortMin < 1 || relayPortMax > 65535 || relayPortMin > relayPortMax) {
      throw new IllegalArgumentException(
          "relay-ports: "
              + relayPortMin
              + "-"
              + relayPortMax
              + " (expected: MIN-MAX with 1 <= MIN <= MAX <= 65535)");
    }
    if (realm == null || realm.isBlank() || realm.length() > 127) {
      throw new IllegalArgumentException("realm: '" + realm + "' (expected: 1 to 127 characters)");
    }
    turnSecrets = List.copyOf(turnSecrets);
    for (byte[] s : turnSecrets) {
      if (s.length == 0) {
        throw new IllegalArgumentException("turn-secret: empty (expected: at least 1 byte)");
      }
    }
    staticUsers = Map.copyOf(staticUsers);
    staticUsers.forEach(
        (name, password) -> {
          if (name.isEmpty() || name.length() > 513 || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException(
                "user: '" + name + "' (expected: 1 to 513 characters without ':')");
          }
          if (password.isEmpty()) {
            throw new IllegalArgumentException("user: " + name + " has an empty password");
          }
        });
    allowedPeers = List.copyOf(allowedPeers);
    protectedPorts = Set.copyOf(protectedPorts);
    if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
      throw new IllegalArgumentException(
          "tls-certificate/tls-private-key: only one given (expected: both or neither)");
    }
    Objects.requireNonNull(limits, "limits");
    if (eventLoopThreads < 0 || eventLoopThreads > 256) {
      throw new IllegalArgumentException(
          "relay-threads: " + eventLoopThreads + " (expected: 0..256, 0 = number of cores)");
    }
  }

  private static void checkPort(String key, int port, int min) {
    if (port < min || port > 65535) {
      throw new IllegalArgumentException(key + ": " + port + " (expected: " + min + "..65535)");
    }
  }

  /** A development configuration on loopback with the default ports and limits. */
  public static RelayConfig defaults() {
    return new RelayConfig(
        InetAddress.getLoopbackAddress(),
        DEFAULT_TURN_PORT,
        DEFAULT_TURNS_PORT,
        DEFAULT_RELAY_PORT_MIN,
        DEFAULT_RELAY_PORT_MAX,
        null,
        DEFAULT_REALM,
        List.of(),
        Map.of(),
        List.of(),
        Set.of(),
        null,
        null,
        Limits.defaults(),
        0);
  }

  /**
   * Quotas and lifetimes (RFC 8656 §3.2, §9, §12).
   *
   * @param allocationsPerUser allocations one username may hold at once (486 beyond)
   * @param allocationsTotal allocations on this node (508 beyond)
   * @param permissionsPerAllocation installed permissions per allocation (508 beyond)
   * @param bytesPerSecondPerAllocation relayed bytes per allocation and direction; 0 = unlimited
   * @param defaultLifetime allocation lifetime when the client asks for less or nothing (600 s)
   * @param maxLifetime longest allocation lifetime granted (3600 s)
   * @param permissionLifetime permission lifetime (300 s)
   * @param channelLifetime channel binding lifetime (600 s)
   * @param nonceLifetime how long a nonce stays valid
   */
  public record Limits(
      int allocationsPerUser,
      int allocationsTotal,
      int permissionsPerAllocation,
      long bytesPerSecondPerAllocation,
      Duration defaultLifetime,
      Duration maxLifetime,
      Duration permissionLifetime,
      Duration channelLifetime,
      Duration nonceLifetime) {

    public Limits {
      checkRange("limits.allocations-per-user", allocationsPerUser, 1, 1_000_000);
      checkRange("limits.allocations-total", allocationsTotal, 1, 10_000_000);
      checkRange("limits.permissions-per-allocation", permissionsPerAllocation, 1, 65_536);
      if (bytesPerSecondPerAllocation < 0) {
        throw new IllegalArgumentException(
            "limits.bytes-per-second-per-allocation: "
                + bytesPerSecondPerAllocation
                + " (expected: >= 0, 0 = unlimited)");
      }
      checkDuration("limits.default-lifetime", defaultLifetime);
      checkDuration("limits.max-lifetime", maxLifetime);
      checkDuration("limits.permission-lifetime", permissionLifetime);
      checkDuration("limits.channel-lifetime", channelLifetime);
      checkDuration("limits.nonce-lifetime", nonceLifetime);
      if (defaultLifetime.compareTo(maxLifetime) > 0) {
        throw new IllegalArgumentException(
            "limits.default-lifetime: "
                + defaultLifetime.toSeconds()
                + "s (expected: at most limits.max-lifetime, "
                + maxLifetime.toSeconds()
                + "s)");
      }
    }

    public static Limits defaults() {
      return new Limits(
          20,
          50_000,
          64,
          0,
          Duration.ofSeconds(600),
          Duration.ofSeconds(3600),
          Duration.ofSeconds(300),
          Duration.ofSeconds(600),
          Duration.ofSeconds(600));
    }

    private static void checkRange(String key, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            key + ": " + value + " (expected: " + min + ".." + max + ")");
      }
    }

    private static void checkDuration(String key, Duration d) {
      if (d == null || d.toSeconds() < 1 || d.toSeconds() > 86_400) {
        throw new IllegalArgumentException(
            key + ": " + (d == null ? "missing" : d.toSeconds() + "s") + " (expected: 1s..86400s)");
      }
    }
  }
}
