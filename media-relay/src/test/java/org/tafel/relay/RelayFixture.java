package org.tafel.relay;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.tafel.protocol.metrics.MetricsRegistry;
import org.tafel.protocol.net.Cidr;

/** Starts a real relay on loopback with ephemeral ports, for tests. */
public final class RelayFixture implements AutoCloseable {
  public static final String SECRET = "s3cret";
  public static final String REALM = "tafel";

  public final MetricsRegistry metrics = new MetricsRegistry();
  public final RelayServer server;
  public final RelayConfig config;

  private RelayFixture(RelayConfig config, Clock clock) throws RelayStartException {
    this.config = config;
    this.server = new RelayServer(config, metrics, clock);
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public int port() {
    return server.turnPort();
  }

  public String metricsText() {
    StringBuilder sb = new StringBuilder();
    metrics.writeText(sb);
    return sb.toString();
  }

  /** The value of one series in the Prometheus text, 0 when absent. */
  public long metric(String series) {
    for (String line : metricsText().split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return 0;
  }

  /**
   * The sum over all labelled series of a counter ({@code name{...} value}); throws if the registry
   * exports no series of that name, so a renamed counter cannot pass as zero.
   */
  public long metricTotal(String name) {
    String prefix = name + "{";
    long sum = 0;
    int series = 0;
    for (String line : metricsText().split("\n")) {
      if (line.startsWith(prefix)) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        series++;
      }
    }
    if (series == 0) {
      throw new AssertionError("no " + prefix + "...} series in /metrics");
    }
    return sum;
  }

  @Override
  public void close() {
    server.close();
  }

  /** Options a test may change; everything else is the production default. */
  public static final class Builder {
    private final List<Cidr> allow = new ArrayList<>();
    private Set<Integer> protectedPorts = Set.of();
    private RelayConfig.Limits limits = RelayConfig.Limits.defaults();
    private Map<String, String> users = Map.of();
    private int relayMin;
    private int relayMax;
    private int turnsPort = -1;
    private java.nio.file.Path cert;
    private java.nio.file.Path key;
    private Clock clock = Clock.systemUTC();

    Builder() {
      relayMin = 20000 + ThreadLocalRandom.current().nextInt(400) * 100;
      relayMax = relayMin + 99;
    }

    public Builder allowPeer(String cidr) {
      allow.add(Cidr.parse("allow-peer", cidr));
      return this;
    }

    public Builder protectedPorts(Set<Integer> ports) {
      this.protectedPorts = ports;
      return this;
    }

    public Builder limits(RelayConfig.Limits l) {
      this.limits = l;
      return this;
    }

    public Builder users(Map<String, String> u) {
      this.users = u;
      return this;
    }

    public Builder relayPorts(int min, int max) {
      relayMin = min;
      relayMax = max;
      return this;
    }

    public Builder tls() {
      turnsPort = 0;
      return this;
    }

    public Builder tls(java.nio.file.Path certificate, java.nio.file.Path privateKey) {
      turnsPort = 0;
      cert = certificate;
      key = privateKey;
      return this;
    }

    /** The relay's wall clock (lifetimes, nonces, credentials); timers still run in real time. */
    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    public RelayFixture start() throws RelayStartException {
      return new RelayFixture(
          new RelayConfig(
              InetAddress.getLoopbackAddress(),
              0,
              turnsPort,
              relayMin,
              relayMax,
              null,
              REALM,
              List.of(SECRET.getBytes(StandardCharsets.UTF_8)),
              users,
              allow,
              protectedPorts,
              cert,
              key,
              limits,
              2),
          clock);
    }
  }

  /** Limits with short lifetimes for expiry tests. */
  public static RelayConfig.Limits shortLifetimes(int seconds) {
    RelayConfig.Limits d = RelayConfig.Limits.defaults();
    Duration s = Duration.ofSeconds(seconds);
    return new RelayConfig.Limits(
        d.allocationsPerUser(),
        d.allocationsTotal(),
        d.permissionsPerAllocation(),
        d.bytesPerSecondPerAllocation(),
        s,
        s,
        s,
        s,
        d.nonceLifetime());
  }
}
